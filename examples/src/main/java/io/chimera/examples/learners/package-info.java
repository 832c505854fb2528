/** Custom weak learners written against the workers SDK's {@link io.chimera.workers.learn.Learner} SPI. */
package io.chimera.examples.learners;
