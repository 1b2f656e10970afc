// `import MSense` is the whole embedding API: the language core and the standard libraries.
@_exported import MSenseCore
