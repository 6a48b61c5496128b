"""The seller REST API: authentication, serializers, views and errors."""
