package dev.memstore.cli;

import dev.memstore.MemoryStore;
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
import picocli.CommandLine.ParentCommand;
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
  @ParentCommand Memctl memctl;
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "missing a command: start, end, ls, show");
  }

  static void print(Memctl memctl, PrintWriter out, Session session, Instant now) {
    if (memctl.json()) {
      out.println(Json.write(WireFormat.session(session)));
      return;
    }
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
  static final class Start implements Callable<Integer> {
    @ParentCommand private SessionCommand parent;
    @Spec private CommandSpec spec;

    @Option(names = "--user", paramLabel = "ID", description = "The user the session is with.")
    private String userId;

    @Option(names = "--type", paramLabel = "TYPE", description = "Its type. Default: conversation.")
    private String type;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (MemoryStore store = parent.memctl.openOrCreate()) {
        Session session = store.createSession(userId, type, Map.of());
        out.println(parent.memctl.json() ? Json.write(WireFormat.session(session)) : session.id());
      }
      return ExitCodes.OK;
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
  static final class End implements Callable<Integer> {
    @ParentCommand private SessionCommand parent;
    @Spec private CommandSpec spec;

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
      PrintWriter out = spec.commandLine().getOut();
      try (MemoryStore store = parent.memctl.openExisting()) {
        Session session = store.endSession(sessionId, summary, archive);
        print(parent.memctl, out, session, store.config().clock().instant());
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "ls",
      mixinStandardHelpOptions = true,
      description = "Lists sessions, newest first.")
  static final class ListSessions implements Callable<Integer> {
    @ParentCommand private SessionCommand parent;
    @Spec private CommandSpec spec;

    @Mixin private PageOptions paging;

    @Option(names = "--all", description = "Include ended sessions.")
    private boolean all;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (MemoryStore store = parent.memctl.openReadOnly()) {
        Page<Session> page = store.sessions(all, paging.offset, paging.limit);
        if (parent.memctl.json()) {
          out.println(Json.write(WireFormat.page("sessions", page, WireFormat::session)));
          return ExitCodes.OK;
        }
        Instant now = store.config().clock().instant();
        TextTable table = new TextTable("ID", "USER", "TYPE", "STARTED", "ENDED");
        for (Session session : page.items()) {
          table.add(
              session.id(),
              session.userId() == null ? "" : session.userId(),
              session.sessionType(),
              MemoryViews.ago(session.createdAt(), now),
              session.endedAt() == null ? "" : MemoryViews.ago(session.endedAt(), now));
        }
        if (!page.items().isEmpty()) {
          table.print(out, "");
        }
        out.println(
            page.items().size()
                + " of "
                + MemoryViews.count(page.totalCount(), "session", "sessions"));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints a session.")
  static final class Show implements Callable<Integer> {
    @ParentCommand private SessionCommand parent;
    @Spec private CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The session's id.")
    private String sessionId;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (MemoryStore store = parent.memctl.openReadOnly()) {
        print(parent.memctl, out, store.getSession(sessionId), store.config().clock().instant());
      }
      return ExitCodes.OK;
    }
  }
}
