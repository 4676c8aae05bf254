package dev.memstore.cli;

import dev.memstore.Page;
import dev.memstore.Session;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.json.WireFormat;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "session",
    mixinStandardHelpOptions = true,
    description = "Starts, ends, lists and shows sessions.",
    subcommands = {
      SessionCommand.Start.class,
      SessionCommand.End.class,
      SessionCommand.ListSessions.class,
      SessionCommand.Show.class
    })
final class SessionCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    throw Memctl.missingCommand(spec);
  }

  private static void printText(PrintWriter out, Session session, Instant now) {
    new KeyValues()
        .add("id", session.id())
        .addIfPresent("user", session.userId())
        .add("type", session.sessionType())
        .add("started", MemoryViews.time(session.createdAt(), now))
        .addIfPresent("ended", MemoryViews.time(session.endedAt(), now))
        .add("archived", session.archived() ? "yes" : "no")
        .addIfPresent(
            "metadata", session.metadata().isEmpty() ? null : Json.write(session.metadata()))
        .addIfPresent("summary", session.summary())
        .print(out, "");
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = "Starts a session and prints its id.")
  static final class Start extends StoreCommand {
    @Option(names = "--user", paramLabel = "ID", description = "The user the session is with.")
    private String userId;

    @Option(names = "--type", paramLabel = "TYPE", description = "Its type. Default: conversation.")
    private String type;

    @Override
    public Integer call() {
      return show(
          Access.CREATE,
          store -> store.sessions().create(userId, type, Map.of()),
          WireFormat::session,
          (out, session, now) -> out.println(session.id()));
    }
  }

  @Command(
      name = "end",
      mixinStandardHelpOptions = true,
      description = {
        "Ends a session and stores its summary as a long-term memory.",
        "The summary given, or one written from the session's memories. --archive archives its"
            + " short-term memories."
      })
  static final class End extends StoreCommand {
    @Parameters(paramLabel = "ID", description = "The session's id.")
    private String sessionId;

    @Option(
        names = "--summary",
        paramLabel = "TEXT",
        description = "The summary. Default: written from its memories.")
    private String summary;

    @Option(
        names = "--archive",
        description = "Archive its short-term memories (kept, out of lists and searches).")
    private boolean archive;

    @Override
    public Integer call() {
      return show(
          Access.EXISTING,
          store -> store.sessions().end(sessionId, summary, archive),
          WireFormat::session,
          SessionCommand::printText);
    }
  }

  @Command(
      name = "ls",
      mixinStandardHelpOptions = true,
      description = "Lists sessions, newest first.")
  static final class ListSessions extends StoreCommand {
    @Mixin private PageOptions paging;

    @Option(names = "--all", description = "Include ended sessions.")
    private boolean all;

    @Override
    public Integer call() {
      return show(
          Access.READ_ONLY,
          store -> store.sessions().list(all, paging.offset, paging.limit),
          page -> WireFormat.page("sessions", page, WireFormat::session),
          ListSessions::printText);
    }

    private static void printText(PrintWriter out, Page<Session> page, Instant now) {
      TextTable table = new TextTable("ID", "USER", "TYPE", "STARTED", "ENDED");
      for (Session session : page.items()) {
        table.add(
            session.id(),
            session.userId() == null ? "" : session.userId(),
            session.sessionType(),
            MemoryViews.ago(session.createdAt(), now),
            session.endedAt() == null ? "" : MemoryViews.ago(session.endedAt(), now));
      }
      table.printUnlessEmpty(out);
      out.println(
          page.items().size()
              + " of "
              + MemoryViews.count(page.totalCount(), "session", "sessions"));
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints a session.")
  static final class Show extends StoreCommand {
    @Parameters(paramLabel = "ID", description = "The session's id.")
    private String sessionId;

    @Override
    public Integer call() {
      return show(
          Access.READ_ONLY,
          store -> store.sessions().get(sessionId),
          WireFormat::session,
          SessionCommand::printText);
    }
  }
}
