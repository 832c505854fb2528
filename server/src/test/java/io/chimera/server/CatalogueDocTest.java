package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.chimera.common.ErrorBody;
import io.chimera.server.InProcessNodes.Node;

/**
 * Keeps the bad-input tables of {@code docs/errors.md} true to the catalogue tests: one row per case name, listing
 * the nodes it is sent to, with the status and error type the tests expect, and no row for a case that is not
 * tested.
 */
class CatalogueDocTest {

    static String abbreviation(Node node) {
        switch (node) {
            case AGGREGATION_MASTER:
                return "AM";
            case PARAMETER_SERVER_MASTER:
                return "PS";
            case MODEL_WORKER:
                return "MW";
            default:
                return "SGD";
        }
    }

    /** The rows of the table between {@code <!-- name:start -->} and {@code <!-- name:end -->}, by first cell. */
    static Map<String, List<String>> table(String name) throws IOException {
        Path doc = Path.of("../docs/errors.md");
        if (!Files.isRegularFile(doc)) {
            doc = Path.of("docs/errors.md");
        }
        final String text = Files.readString(doc);
        final int start = text.indexOf("<!-- " + name + ":start -->");
        final int end = text.indexOf("<!-- " + name + ":end -->");
        assertThat(start).as("marker <!-- %s:start --> in %s", name, doc).isNotNegative();
        assertThat(end).as("marker <!-- %s:end --> in %s", name, doc).isGreaterThan(start);
        final Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : text.substring(start, end).split("\n")) {
            if (!line.startsWith("| ") || line.startsWith("| case ")) {
                continue;
            }
            final List<String> cells = new ArrayList<>();
            // Cells are split on '|' not escaped as '\|'.
            for (String cell : line.substring(1, line.lastIndexOf('|')).split("(?<!\\\\)\\|")) {
                cells.add(cell.trim());
            }
            assertThat(rows.put(cells.get(0), cells)).as("two rows for case '%s'", cells.get(0)).isNull();
        }
        return rows;
    }

    static String nodes(List<Node> nodes) {
        return nodes.stream().map(CatalogueDocTest::abbreviation).collect(Collectors.joining(", "));
    }

    @Test
    void restTable_listsEveryRestCase() throws IOException {
        final Map<String, List<String>> doc = table("rest-catalogue");
        final Map<String, List<BadInputRestCatalogueTest.BadRequest>> cases = new LinkedHashMap<>();
        for (BadInputRestCatalogueTest.BadRequest c : BadInputRestCatalogueTest.catalogue()) {
            cases.computeIfAbsent(c.name, k -> new ArrayList<>()).add(c);
        }
        assertThat(doc.keySet()).containsExactlyInAnyOrderElementsOf(cases.keySet());
        cases.forEach((name, same) -> {
            final List<String> row = doc.get(name);
            assertThat(row.get(1)).as(name).isEqualTo(nodes(same.stream().map(c -> c.node).toList()));
            assertThat(row.get(2)).as(name).isEqualTo(Integer.toString(same.get(0).status));
            assertThat(row.get(3)).as(name).isEqualTo('`' + same.get(0).type + '`');
        });
    }

    @Test
    void grpcTable_listsEveryGrpcCase() throws IOException {
        final Map<String, List<String>> doc = table("grpc-catalogue");
        final Map<String, List<BadInputGrpcCatalogueTest.BadCall>> cases = new LinkedHashMap<>();
        for (BadInputGrpcCatalogueTest.BadCall c : BadInputGrpcCatalogueTest.catalogue()) {
            cases.computeIfAbsent(c.name, k -> new ArrayList<>()).add(c);
        }
        assertThat(doc.keySet()).containsExactlyInAnyOrderElementsOf(cases.keySet());
        cases.forEach((name, same) -> {
            final List<String> row = doc.get(name);
            final int status = same.get(0).status;
            assertThat(row.get(1)).as(name).isEqualTo(nodes(same.stream().map(c -> c.node).toList()));
            assertThat(row.get(2)).as(name).isEqualTo("`" + ErrorBody.grpcCode(status) + '`');
            assertThat(row.get(3)).as(name).isEqualTo(Integer.toString(status));
            assertThat(row.get(4)).as(name).isEqualTo('`' + same.get(0).type + '`');
        });
    }
}
