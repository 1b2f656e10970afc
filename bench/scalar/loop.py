# A 10^6-iteration arithmetic loop over a range with a global accumulator.
total = 0
for i in range(1_000_000):
    total = total + i * 2 % 7
print(total)
