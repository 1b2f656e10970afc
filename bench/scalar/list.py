# Build a 10^5-element list with append, then sum it with an indexed loop.
xs = []
for i in range(100_000):
    xs.append(i * 0.5)
s = 0
for i in range(len(xs)):
    s = s + xs[i]
print(s)
