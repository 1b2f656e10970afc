"""The msense Jupyter kernel (ipykernel): `python -m msense kernel install` registers it."""
