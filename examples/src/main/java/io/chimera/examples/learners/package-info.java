/** Custom weak learners written against the workers SDK's {@link io.chimera.core.learn.Learner} SPI. */
package io.chimera.examples.learners;
