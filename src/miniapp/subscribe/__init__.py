"""Subscription messages: the template library, an app's templates, the user's send credits and
the service notifications they receive (docs/subscriptions.md)."""
