"""regioassist: cited Dutch answers over the social-domain documents of Regio Gooi en Vechtstreek."""

__version__ = "0.1.0"
