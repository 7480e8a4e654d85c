def client_ip(request) -> str | None:
    """The client's address as the reverse proxy reports it (first X-Forwarded-For hop), else REMOTE_ADDR."""
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded:
        return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None
