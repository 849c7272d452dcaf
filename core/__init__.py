"""What the domain layers share and the HTTP layer maps: application errors (no Django REST framework here)."""
