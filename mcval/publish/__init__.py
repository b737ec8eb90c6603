"""Publishing approved proposals to Credly as badge templates."""
