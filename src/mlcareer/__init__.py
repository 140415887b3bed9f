"""mlcareer: know where you stand as a machine-learning engineer, and what to learn next."""

__version__ = "0.1.0"
