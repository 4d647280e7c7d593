"""The documentalists' workspace (`/admin/…`): login, cataloguing, uploads, the loan desk,
borrowers and statistics. Every page needs a logged-in documentalist; every write, CSRF."""
