package io.chimera.cli;

import java.util.ArrayList;
import java.util.List;

/** How a project's training rows are dealt out to its workers: the same rows to each, or one part each. */
public final class CsvParts {

    /**
     * The lines of worker {@code index} out of {@code parts}: every line of {@code csv} when not
     * {@code partition}; else the header, then every {@code parts}-th row from row {@code index} on (round
     * robin, so that each part keeps the mix of the whole).
     */
    public static List<String> part(List<String> csv, int index, int parts, boolean partition) {
        if (!partition) {
            return csv;
        }
        final List<String> rows = new ArrayList<>();
        rows.add(csv.get(0));
        for (int r = 1 + index; r < csv.size(); r += parts) {
            rows.add(csv.get(r));
        }
        return rows;
    }

    private CsvParts() {}
}
