"""structurer."""
