package dev.memstore.cli;

import dev.memstore.MemoryStore;
import dev.memstore.internal.codec.StoreKey;
import dev.memstore.internal.json.Json;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "key",
    mixinStandardHelpOptions = true,
    description = "Makes key files and moves the store's sealed memories to a new key.",
    subcommands = {KeyCommand.NewKey.class, KeyCommand.Rotate.class})
final class KeyCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    throw Memctl.missingCommand(spec);
  }

  @Command(
      name = "new",
      mixinStandardHelpOptions = true,
      description = {
        "Writes a new random key (32 bytes, base64) to a new file only its owner may read.",
        "Keep a copy somewhere safe: without it, sealed memories cannot be read."
      })
  static final class NewKey extends StoreCommand {
    @Parameters(paramLabel = "FILE", description = "The key file to create; must not exist.")
    private Path file;

    @Override
    public Integer call() {
      StoreKey key = StoreKey.random();
      key.writeNew(file);
      return print(
          key,
          written ->
              Json.MAPPER
                  .createObjectNode()
                  .put("key_file", file.toAbsolutePath().toString())
                  .put("key_id", written.id()),
          (out, written) ->
              out.println(
                  "wrote key "
                      + written.id()
                      + " to "
                      + TerminalText.line(file.toAbsolutePath().toString())));
    }
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description = {
        "Re-seals every sealed memory under a new key, in committed batches.",
        "Open with the current key (--key-file). Interrupted, it resumes when run again with both"
            + " keys; afterwards only the new key opens the store."
      })
  static final class Rotate extends StoreCommand {
    @Option(
        names = "--new-key-file",
        required = true,
        paramLabel = "FILE",
        description = "The new key (memctl key new FILE writes one).")
    private Path newKeyFile;

    @Override
    public Integer call() {
      long resealed = runOnStore(Access.EXISTING, store -> rotate(store));
      return print(
          resealed,
          count ->
              Json.MAPPER
                  .createObjectNode()
                  .put("resealed", count)
                  .put("key_file", newKeyFile.toAbsolutePath().toString()),
          (out, count) ->
              out.println(
                  "re-sealed "
                      + count
                      + " memories; from now on open the store with --key-file "
                      + TerminalText.line(newKeyFile.toAbsolutePath().toString())));
    }

    private long rotate(MemoryStore store) {
      return store.privacy().rotateKey(newKeyFile);
    }
  }
}
