"""The Flask web application of Fonds (create_app is added with the search pages)."""
