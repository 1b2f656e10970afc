/// A type or kind name with its indefinite article, for messages: "a matrix", "an array",
/// "an ensemble"; `nil` stays bare ("nil"), since "a nil" reads wrong.
///
/// The article follows the first letter (a vowel takes "an"); every name msense uses is read
/// the way it is spelled, so no exceptions are needed.
package func withArticle(_ name: String) -> String {
    if name == "nil" { return "nil" }
    guard let first = name.lowercased().first else { return name }
    return ("aeiou".contains(first) ? "an " : "a ") + name
}
