"""`python -m msense kernel install [--user | --prefix DIR]`: registers the Jupyter kernel
(default: in this Python's environment, so `jupyter kernelspec list` there shows msense)."""
import argparse
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m msense")
    commands = parser.add_subparsers(dest="command", required=True)
    kernel = commands.add_parser("kernel", help="the Jupyter kernel")
    kernel_commands = kernel.add_subparsers(dest="action", required=True)
    install = kernel_commands.add_parser("install", help="install the kernel spec")
    where = install.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="into the user's Jupyter folder")
    where.add_argument("--prefix", help="into PREFIX/share/jupyter/kernels (default: this Python's prefix)")
    arguments = parser.parse_args(argv)
    from .kernel.install import install as install_kernel

    folder = install_kernel(user=arguments.user, prefix=arguments.prefix)
    print(f"installed the msense kernel in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
