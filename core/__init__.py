"""What the domain layers share: application errors the HTTP layer maps, list rows without model instances (no Django
REST framework here)."""
