package dev.memstore.cli;

import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import java.util.ListResourceBundle;
import picocli.CommandLine.Option;

/**
 * The {@code --type} and {@code --tier} of a command that sets them on one memory (add, update):
 * parsed by the protocol's names, completed from them. Each command words their help its own way;
 * picocli looks the words up in the command's resource bundle, {@link Descriptions}.
 */
final class TypeAndTierOptions {
  @Option(
      names = "--type",
      paramLabel = "TYPE",
      converter = Converters.Type.class,
      completionCandidates = Converters.TypeNames.class,
      descriptionKey = "type")
  MemoryType type;

  @Option(
      names = "--tier",
      paramLabel = "TIER",
      converter = Converters.Tier.class,
      completionCandidates = Converters.TierNames.class,
      descriptionKey = "tier")
  MemoryTier tier;

  /**
   * The help of the options, keyed by the command's full name. Public, with a public constructor,
   * because {@link java.util.ResourceBundle} creates it by reflection.
   */
  public static final class Descriptions extends ListResourceBundle {
    /** The bundle's name, for a command's {@code resourceBundle}. */
    static final String NAME = "dev.memstore.cli.TypeAndTierOptions$Descriptions";

    public Descriptions() {}

    @Override
    protected Object[][] getContents() {
      return new Object[][] {
        {"memctl.add.type", "What it is about: ${COMPLETION-CANDIDATES}. Default: general."},
        {
          "memctl.add.tier",
          "How long it is meant to live: ${COMPLETION-CANDIDATES}. Default: short_term for a"
              + " conversation turn, long_term for every other type."
        },
        {"memctl.update.type", "The new type: ${COMPLETION-CANDIDATES}."},
        {"memctl.update.tier", "The new tier: ${COMPLETION-CANDIDATES}."}
      };
    }
  }
}
