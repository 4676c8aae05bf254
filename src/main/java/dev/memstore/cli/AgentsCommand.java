package dev.memstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.AccessPolicy;
import dev.memstore.AgentPolicy;
import dev.memstore.AgentRight;
import dev.memstore.internal.access.AgentStore;
import dev.memstore.internal.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Command;

@Command(
    name = "agents",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the agents of the store's access policy: names, rights, scopes and rate limits.",
      "Never their secret hashes. A store without a policy has one trusted agent with every right."
    },
    subcommands = {AgentsCommand.Hash.class})
final class AgentsCommand extends StoreCommand {
  @Override
  public Integer call() {
    AccessPolicy policy =
        runOnStore(
            Access.READ_ONLY,
            store -> store instanceof AgentStore agents ? agents.agents().policy() : null);
    if (json()) {
      printJson(toJson(policy));
      return ExitCodes.OK;
    }
    if (policy == null) {
      out().println("no access policy: one trusted agent with every right");
      return ExitCodes.OK;
    }
    TextTable table = new TextTable("AGENT", "RIGHTS", "SCOPE", "LIMITS", "SECRET");
    for (AgentPolicy agent : policy.agents()) {
      table.add(
          agent.name() + (agent.name().equals(policy.defaultAgent()) ? " (default)" : ""),
          agent.rights().isEmpty()
              ? "none"
              : String.join(",", names(agent.rights(), AgentRight::wireName)),
          agent.describeScope(),
          limits(agent),
          agent.secretHash() == null ? "no" : "yes");
    }
    table.print(out(), "");
    return ExitCodes.OK;
  }

  private static String limits(AgentPolicy agent) {
    if (agent.requestsPerSecond() == 0 && agent.writesPerSecond() == 0) {
      return "none";
    }
    return (agent.requestsPerSecond() == 0 ? "-" : format(agent.requestsPerSecond()))
        + " req/s, "
        + (agent.writesPerSecond() == 0 ? "-" : format(agent.writesPerSecond()))
        + " writes/s";
  }

  private static String format(double rate) {
    return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
  }

  private static <T> List<String> names(Collection<T> values, Function<T, String> name) {
    return values.stream().map(name).sorted().toList();
  }

  private static ObjectNode toJson(AccessPolicy policy) {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("policy", policy != null);
    json.put("default_agent", policy == null ? null : policy.defaultAgent());
    ArrayNode agents = json.putArray("agents");
    if (policy != null) {
      for (AgentPolicy agent : policy.agents()) {
        ObjectNode node = agents.addObject();
        node.put("name", agent.name());
        names(agent.rights(), AgentRight::wireName).forEach(node.putArray("rights")::add);
        names(agent.types(), type -> type.wireName()).forEach(node.putArray("types")::add);
        names(agent.tiers(), tier -> tier.wireName()).forEach(node.putArray("tiers")::add);
        names(agent.users(), user -> user).forEach(node.putArray("users")::add);
        node.put("requests_per_second", agent.requestsPerSecond());
        node.put("writes_per_second", agent.writesPerSecond());
        node.put("has_secret", agent.secretHash() != null);
      }
    }
    return json;
  }

  @Command(
      name = "hash",
      mixinStandardHelpOptions = true,
      description = {
        "Prints the hash of a secret read from standard input, for an agent's secret_hash.",
        "Reads the first line (without its line break); the secret never appears on the command"
            + " line. Example: memctl agents hash < secret.txt"
      })
  static final class Hash extends StoreCommand {
    @Override
    public Integer call() throws IOException {
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(memctl().input(), StandardCharsets.UTF_8));
      String line = reader.readLine();
      if (line == null || line.isEmpty()) {
        throw new CliException(
            ExitCodes.USAGE, "no secret on standard input: give it as the first line");
      }
      char[] secret = line.toCharArray();
      try {
        String hash = AgentPolicy.hashSecret(secret);
        return print(
            hash,
            value -> {
              ObjectNode json = Json.MAPPER.createObjectNode();
              json.put("secret_hash", value);
              return json;
            },
            (out, value) -> out.println(value));
      } finally {
        Arrays.fill(secret, '\0');
      }
    }
  }
}
