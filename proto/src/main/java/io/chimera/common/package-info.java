/**
 * What every chimera node and client shares: the REST paths, chimera's error body and the exception that
 * carries it, and the {@link io.chimera.common.Table} of named numeric columns that predictions travel in.
 */
package io.chimera.common;
