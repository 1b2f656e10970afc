/// `count` and `noun`, singular for exactly one ("1 step", "0 steps", "3 steps"): how messages
/// and descriptions state a count. The plural is `noun + "s"` unless given ("entry", "entries").
package func counted(_ count: some BinaryInteger, _ noun: String, plural: String? = nil) -> String {
    "\(count) " + (count == 1 ? noun : plural ?? noun + "s")
}
