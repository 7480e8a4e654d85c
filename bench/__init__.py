"""Measured bars: load a realistic volume into a dedicated database, then time the pages."""
