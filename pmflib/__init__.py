"""PMF Workbook: performance-management reporting for UK councils.

The package is organised one module per concern (see README "How the code is
laid out"). Rule modules are pure; only the I/O modules touch disk.
"""

__version__ = "0.1.0"
