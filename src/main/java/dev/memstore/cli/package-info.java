/** The {@code memctl} command line: one class per subcommand, over the public API. */
package dev.memstore.cli;
