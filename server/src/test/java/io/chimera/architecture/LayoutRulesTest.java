package io.chimera.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The dependency rules of the layout (docs/architecture.md), checked on chimera's compiled classes: what the
 * Maven modules cannot fence because it lies inside one module. The modules' own rules (chimera-core has no
 * Armeria, DJL or Docker; chimera-node has no strategy) are maven-enforcer rules in their poms.
 */
class LayoutRulesTest {

    private static JavaClasses chimera;

    @BeforeAll
    static void importClasses() {
        chimera = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                                         .importPackages("io.chimera");
    }

    @Test
    void strategiesDoNotKnowTheRuntimes() {
        noClasses().that().resideInAPackage("io.chimera.strategy..")
                   .should().dependOnClassesThat().resideInAPackage("io.chimera.runtime..")
                   .check(chimera);
    }

    @Test
    void runtimesDoNotKnowTheStrategies() {
        noClasses().that().resideInAPackage("io.chimera.runtime..")
                   .should().dependOnClassesThat().resideInAnyPackage("io.chimera.strategy..", "io.chimera.models..")
                   .check(chimera);
    }

    @Test
    void theRuntimeApiFindsItsImplementationsOnlyThroughServiceLoader() {
        noClasses().that().resideInAPackage("io.chimera.runtime")
                   .should().dependOnClassesThat()
                   .resideInAnyPackage("io.chimera.runtime.process..", "io.chimera.runtime.docker..",
                                       "io.chimera.runtime.swarm..")
                   .check(chimera);
    }

    @Test
    void aTreeWorkerNeedsNoDjl() {
        noClasses().that().resideInAnyPackage("io.chimera.strategy.aggregation..", "io.chimera.core..",
                                               "io.chimera.node..")
                   .should().dependOnClassesThat()
                   .resideInAnyPackage("ai.djl..", "io.chimera.strategy.parameterserver..")
                   .check(chimera);
    }

    @Test
    void noPublicApiHandsOutAnInternalType() {
        noMethods().that().arePublic().and().areDeclaredInClassesThat().arePublic()
                   .and().areDeclaredInClassesThat().resideOutsideOfPackage("..internal..")
                   .should().haveRawReturnType(resideInAPackage("..internal.."))
                   .check(chimera);
    }

    @Test
    void modelsDoNotKnowTheRuntimes() {
        noClasses().that().resideInAPackage("io.chimera.models..")
                   .should().dependOnClassesThat().resideInAPackage("io.chimera.runtime..")
                   .check(chimera);
    }

    @Test
    void observabilitySeesOnlyTheRuntimeApi() {
        noClasses().that().resideInAPackage("io.chimera.observe..")
                   .should().dependOnClassesThat()
                   .resideInAnyPackage("io.chimera.runtime.process..", "io.chimera.runtime.docker..",
                                       "io.chimera.runtime.swarm..")
                   .check(chimera);
    }

    @Test
    void coreIsPlainJava() {
        noClasses().that().resideInAPackage("io.chimera.core..")
                   .should().dependOnClassesThat()
                   .resideInAnyPackage("com.linecorp.armeria..", "ai.djl..", "com.github.dockerjava..", "io.grpc..",
                                       "com.google.protobuf..", "io.chimera.proto..", "io.chimera.node..",
                                       "io.chimera.server..", "io.chimera.strategy..")
                   .check(chimera);
    }

    @Test
    void nodeKnowsNoStrategyRuntimeOrRun() {
        noClasses().that().resideInAPackage("io.chimera.node..")
                   .should().dependOnClassesThat()
                   .resideInAnyPackage("io.chimera.strategy..", "io.chimera.runtime..", "io.chimera.server..",
                                       "io.chimera.models..", "io.chimera.observe..")
                   .check(chimera);
    }

    @Test
    void onlyTheRunReachesTheMastersHooks() {
        noClasses().that().resideOutsideOfPackages("io.chimera.server", "io.chimera.strategy")
                   .should().dependOnClassesThat().haveFullyQualifiedName("io.chimera.strategy.internal.MasterAccess")
                   .check(chimera);
    }

    /** The two built-ins that keep chimera's own worker protocols; a strategy on the public API needs neither. */
    @Test
    void onlyTheBuiltInsWithTheirOwnWorkerProtocolReachTheFitsHooks() {
        noClasses().that().resideOutsideOfPackages("io.chimera.strategy", "io.chimera.strategy.parameterserver",
                                                   "io.chimera.strategy.aggregation")
                   .should().dependOnClassesThat().haveFullyQualifiedName("io.chimera.strategy.internal.FitAccess")
                   .check(chimera);
    }

    @Test
    void onlyBaggingKeepsItsModelOnTheWorkers() {
        noClasses().that().resideOutsideOfPackages("io.chimera.strategy", "io.chimera.strategy.internal",
                                                   "io.chimera.strategy.aggregation..")
                   .should().dependOnClassesThat()
                   .haveFullyQualifiedName("io.chimera.strategy.internal.StrategyAccess")
                   .orShould().dependOnClassesThat()
                   .haveFullyQualifiedName("io.chimera.strategy.internal.WorkerResidentModel")
                   .check(chimera);
    }

    /** The strategies written with the strategy API use nothing else of chimera's: they show what a user can do. */
    @Test
    void strategiesOnTheStrategyApiUseOnlyPublicApi() {
        noClasses().that().resideInAnyPackage("io.chimera.strategy.fedavg..", "io.chimera.strategy.allreduce..")
                   .should().dependOnClassesThat()
                   .resideInAnyPackage("..internal..", "io.chimera.node..", "io.chimera.observe..",
                                       "io.chimera.models..", "io.chimera.server..", "io.chimera.workers..",
                                       "com.linecorp.armeria..", "io.grpc..")
                   .check(chimera);
    }

    @Test
    void strategiesDoNotKnowOneAnother() {
        final String[] strategies = { "aggregation", "parameterserver", "fedavg", "allreduce" };
        for (String own : strategies) {
            final List<String> others = new ArrayList<>();
            for (String other : strategies) {
                if (!other.equals(own)) {
                    others.add("io.chimera.strategy." + other + "..");
                }
            }
            noClasses().that().resideInAPackage("io.chimera.strategy." + own + "..")
                       .should().dependOnClassesThat().resideInAnyPackage(others.toArray(new String[0]))
                       .check(chimera);
        }
    }

    /** The test tree's own strategy (com.example.centroid) is written like a user's: public API only. */
    @Test
    void aUsersStrategyNeedsNoInternals() {
        final JavaClasses users = new ClassFileImporter().importPackages("com.example.centroid");
        noClasses().should().dependOnClassesThat().resideInAnyPackage("..internal..")
                   .check(users);
    }
}
