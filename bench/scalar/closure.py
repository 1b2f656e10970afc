# Closures inside a function: a local helper called 10^6 times and a recursive local fib(24).
def main():
    add = lambda a, b: a + b
    s = 0
    for i in range(1_000_000):
        s = add(s, i)

    def fib(n):
        if n < 2:
            return n
        return fib(n - 1) + fib(n - 2)

    return s + fib(24)


print(main())
