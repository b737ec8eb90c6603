"""Award files: who earned which micro-credential, and issuing their badges."""
