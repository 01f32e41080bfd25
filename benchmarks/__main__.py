import argparse
import importlib
import sys

from benchmarks import BENCHMARKS


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks",
                                     description="Run the product's benchmarks.")
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"benchmarks to run (default: all): {', '.join(BENCHMARKS)}")
    args, rest = parser.parse_known_args(argv)
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark: {', '.join(unknown)}")
    for name in args.names or BENCHMARKS:
        print(f"== {name}", flush=True)
        importlib.import_module(BENCHMARKS[name]).run(rest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
