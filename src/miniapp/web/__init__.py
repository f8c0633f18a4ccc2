"""The browser apps (static files) and the routes that serve their pages."""
