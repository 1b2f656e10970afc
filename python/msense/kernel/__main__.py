"""Starts the kernel: `python -m msense.kernel -f CONNECTION_FILE` (what kernel.json runs)."""
from ipykernel.kernelapp import IPKernelApp

from .kernel import MSenseKernel

IPKernelApp.launch_instance(kernel_class=MSenseKernel)
