"""Mini-program registry: apps, their stored bundles, and which bundle each app has released."""
