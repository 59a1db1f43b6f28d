"""What the council gives us: the register and history, the service returns, the templates sent out."""
