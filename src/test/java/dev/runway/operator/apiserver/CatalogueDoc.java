package dev.runway.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The bad-input table in {@code docs/reliability.md}, generated from the catalogue between two
 * markers; {@code -Drunway.golden.update=true} rewrites it (review the diff before committing).
 */
final class CatalogueDoc {
    static final Path DOC = Path.of("docs/reliability.md");
    static final String BEGIN = "<!-- bad-input-catalogue:begin (generated from BadInputCatalogueTest) -->";
    static final String END = "<!-- bad-input-catalogue:end -->";
    private static final boolean UPDATE = Boolean.getBoolean("runway.golden.update");

    private CatalogueDoc() {
    }

    static String table(List<AdmissionCase> cases) {
        StringBuilder t = new StringBuilder("| # | Kind | Bad input | On | Field named | Message contains |\n|---|---|---|---|---|---|\n");
        for (int i = 0; i < cases.size(); i++) {
            AdmissionCase c = cases.get(i);
            t.append("| ").append(i + 1).append(" | ").append(c.kind()).append(" | ").append(escape(c.name()))
                    .append(" | ").append(c.before() == null ? "create" : "update")
                    .append(" | `").append(c.field()).append("` | `").append(c.message().replace("`", "'")).append("` |\n");
        }
        return t.toString();
    }

    private static String escape(String text) {
        return text.replaceAll("([\\\\*_|<>\\[\\]`])", "\\\\$1");
    }

    static void assertUpToDate(List<AdmissionCase> cases) {
        try {
            String doc = Files.readString(DOC);
            int begin = doc.indexOf(BEGIN);
            int end = doc.indexOf(END);
            assertThat(begin).as("%s has the marker %s", DOC, BEGIN).isNotNegative();
            assertThat(end).as("%s has the marker %s", DOC, END).isGreaterThan(begin);
            String current = doc.substring(begin + BEGIN.length() + 1, end);
            String expected = table(cases);
            if (UPDATE) {
                Files.writeString(DOC, doc.substring(0, begin + BEGIN.length() + 1) + expected + doc.substring(end));
                return;
            }
            assertThat(current).as("the catalogue table in %s (rerun with -Drunway.golden.update=true to regenerate it)", DOC)
                    .isEqualTo(expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
