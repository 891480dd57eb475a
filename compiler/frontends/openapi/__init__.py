"""OpenAPI / Swagger front end."""
