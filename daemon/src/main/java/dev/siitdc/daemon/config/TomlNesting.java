package dev.siitdc.daemon.config;

/**
 * Bounds how deeply a TOML text nests arrays and inline tables before the text reaches tomlj, whose
 * parser recurses once per level: 100,000 {@code [} overflow the stack (a {@link StackOverflowError}, not
 * a parse error). A siitdc file nests two or three levels; {@link #MAX_DEPTH} leaves ample room.
 *
 * <p>The scan knows just enough TOML (v1.0.0) to count only the brackets and braces outside comments and
 * strings (basic, literal and their multi-line forms, with escapes in the basic ones); a table header
 * ({@code [a]}, {@code [[eamt]]}) counts as one or two levels. It never refuses what tomlj would accept
 * within the bound, and it reports the line where the bound is crossed.
 */
final class TomlNesting {
    /** Deepest nesting of arrays and inline tables accepted. */
    static final int MAX_DEPTH = 64;

    private TomlNesting() {}

    /** The 1-based line where {@code text} nests deeper than {@link #MAX_DEPTH}, or 0 if it does not. */
    static int tooDeepAt(String text) {
        int depth = 0, line = 1, n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> line++;
                case '#' -> {
                    while (i + 1 < n && text.charAt(i + 1) != '\n') i++;
                }
                case '"', '\'' -> {
                    String triple = c == '"' ? "\"\"\"" : "'''";
                    boolean multi = text.startsWith(triple, i), escapes = c == '"';
                    i += multi ? 3 : 1;
                    for (; i < n; i++) {
                        char d = text.charAt(i);
                        if (d == '\n') {
                            line++;
                            if (!multi) break;           // a one-line string ends at the line's end
                        } else if (escapes && d == '\\') {
                            if (i + 1 < n && text.charAt(i + 1) == '\n') line++;
                            i++;
                        } else if (d == c && (!multi || text.startsWith(triple, i))) {
                            if (multi) {
                                // up to two more quotes may belong to the string ("""a"""" ends with a quote)
                                i += 2;
                                while (i + 1 < n && text.charAt(i + 1) == c) i++;
                            }
                            break;
                        }
                    }
                }
                case '[', '{' -> {
                    if (++depth > MAX_DEPTH) return line;
                }
                case ']', '}' -> {
                    if (depth > 0) depth--;
                }
                default -> { }
            }
        }
        return 0;
    }
}
