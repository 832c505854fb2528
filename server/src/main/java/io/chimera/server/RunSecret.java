package io.chimera.server;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.chimera.runtime.WorkerSpec;
import io.chimera.workers.WorkerEnvironment;

/**
 * The secret of one run: 32 random bytes the master makes at start and hands its workers in
 * {@code CHIMERA_RUN_SECRET}; its calls to them carry it, and they refuse calls without it (docs/reliability.md).
 */
final class RunSecret {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new secret, URL-safe Base64 (43 characters). */
    static String generate() {
        final byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** {@code specs}, each with the secret in its environment. */
    static List<WorkerSpec> handTo(List<WorkerSpec> specs, String secret) {
        final List<WorkerSpec> out = new ArrayList<>(specs.size());
        for (WorkerSpec s : specs) {
            out.add(WorkerSpec.builder().name(s.name()).index(s.index()).mappedPort(s.mappedPort())
                              .cpuShares(s.cpuShares()).launch(s.launch()).dataDirectory(s.dataDirectory())
                              .environment(s.environment()).environment(WorkerEnvironment.RUN_SECRET, secret)
                              .build());
        }
        return out;
    }

    private RunSecret() {}
}
