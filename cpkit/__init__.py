"""cpkit."""
