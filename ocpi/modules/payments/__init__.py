"""The payments module (2.3.0): payment terminals at charge points and captured payments."""
