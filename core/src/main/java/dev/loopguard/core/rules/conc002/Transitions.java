package dev.loopguard.core.rules.conc002;

import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.analysis.Target;
import dev.loopguard.core.analysis.Val;
import dev.loopguard.core.ir.Arg;
import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.EventList;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.knowledge.Fact;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The check / suspend / write sequences of one async function, read from its ordered event list:
 * a read of shared or persisted state, then a suspension point, then a write of the same state
 * that depends on the read (the read decided a branch whose arm writes, a guard whose arm leaves
 * the function, or the read and the write are one statement), with no lock or transaction held
 * across both and no re-read after the last suspension.
 *
 * <p>Shared state is an attribute of the method's receiver, of a module variable or of a local
 * that aliases one of those; an item of such a container under the same literal or named key; a
 * module variable; or a persisted record: a local bound to what a {@code state} fact of category
 * {@code read} returned, written back through a {@code write} or {@code filtered-write} API on the
 * same receiver.
 */
final class Transitions {

  /** What sort of state a race is about. */
  enum StateKind {
    ATTRIBUTE("attribute"),
    ITEM("item"),
    GLOBAL("module variable"),
    RECORD("record");

    final String word;

    StateKind(String word) {
      this.word = word;
    }
  }

  /** How the write depends on the read. */
  enum Dependence {
    /** The read decided a branch whose arm writes. */
    BRANCH,
    /** The read decided a guard whose arm leaves the function; the write follows it. */
    GUARD,
    /** The read and the write are one statement (a read-modify-write around an await). */
    STATEMENT
  }

  /**
   * One check / suspend / write.
   *
   * @param state the state in words ({@code self.status}, {@code jobs[key]})
   * @param awaitText what the function awaits between them
   * @param writeSite the write API's call site for records, else null
   * @param writeFact the write API's state fact for records, else null
   * @param alias whether the state is reached through a local alias
   */
  record Race(Project.Fn fn, StateKind kind, String state, int readLine, int awaitLine,
      String awaitText, int writeLine, Dependence dependence, CallSite writeSite, String writeApi,
      Fact writeFact, boolean alias) {}

  private record ItemKey(Ref container, Ref key) {}

  private record RecordKey(Ref receiver) {}

  private static final class Read {
    final int line;
    final int testFrame;
    final int[] held;
    final String field;
    boolean guard;
    int suspendLine;
    String suspendText;

    Read(int line, int testFrame, int[] held, String field) {
      this.line = line;
      this.testFrame = testFrame;
      this.held = held;
      this.field = field;
    }
  }

  private static final class Frame {
    final int id;
    final EventList.Kind kind;
    final boolean protects;
    boolean inTest;
    boolean exits;
    // Keys read in this frame's conditions; keys read since an ARM that may be an else.
    final List<Object> testReads = new ArrayList<>(2);
    List<Object> armReads;

    Frame(int id, EventList.Kind kind, boolean protects) {
      this.id = id;
      this.kind = kind;
      this.protects = protects;
    }
  }

  private static final int MAX_ALIAS_DEPTH = 3;

  private final SemanticModel model;
  private final Project project;

  Transitions(SemanticModel model) {
    this.model = model;
    this.project = model.project();
  }

  /** The races of {@code fn}: empty unless it is an async function with an event list. */
  List<Race> of(Project.Fn fn) {
    FunctionIr f = fn.ir();
    if (!f.async() || f.kind() != FunctionIr.Kind.FUNCTION || f.hasFlag(FunctionIr.Flag.STUB)
        || f.events().isEmpty() || !suspends(f.events())) {
      return List.of();
    }
    List<Race> races = walk(fn);
    if (races.isEmpty() || transactional(fn) || acquiresExplicitly(fn)) {
      return List.of();
    }
    return races;
  }

  private static boolean suspends(EventList events) {
    EventList.Cursor c = events.cursor();
    while (c.next()) {
      if (c.isSuspension()) {
        return true;
      }
    }
    return false;
  }

  private List<Race> walk(Project.Fn fn) {
    ModuleIr m = fn.module();
    List<Race> out = new ArrayList<>();
    List<Frame> stack = new ArrayList<>();
    Map<Object, Read> reads = new HashMap<>();
    Map<Ref, Ref> snapshots = new HashMap<>();
    int frames = 0;
    EventList.Cursor c = fn.ir().events().cursor();
    while (c.next()) {
      EventList.Kind kind = c.kind();
      Frame top = stack.isEmpty() ? null : stack.get(stack.size() - 1);
      switch (kind) {
        case BRANCH -> {
          demoteArm(top, reads);
          Frame b = new Frame(++frames, kind, false);
          b.inTest = true;
          stack.add(b);
        }
        case ARM -> {
          if (top != null && top.kind == EventList.Kind.BRANCH) {
            // An elif or case: its condition follows; an else: its body does (no TEST comes).
            top.inTest = true;
            top.armReads = new ArrayList<>(2);
          }
        }
        case TEST -> {
          if (top != null && top.kind == EventList.Kind.BRANCH) {
            top.inTest = false;
            top.armReads = null;
          }
        }
        case BRANCH_END -> {
          pop(stack, EventList.Kind.BRANCH, reads);
          if (top != null && top.kind == EventList.Kind.BRANCH && top.exits) {
            for (Object key : top.testReads) {
              Read r = reads.get(key);
              if (r != null && r.testFrame == top.id) {
                r.guard = true;
              }
            }
          }
        }
        case LOOP -> {
          demoteArm(top, reads);
          stack.add(new Frame(++frames, kind, false));
        }
        case LOOP_END -> pop(stack, EventList.Kind.LOOP, reads);
        case WITH, ASYNC_WITH -> {
          demoteArm(top, reads);
          stack.add(new Frame(++frames, EventList.Kind.WITH, protects(m, c.ref())));
        }
        case WITH_END -> pop(stack, EventList.Kind.WITH, reads);
        case RETURN -> {
          demoteArm(top, reads);
          for (Frame fr : stack) {
            if (fr.kind == EventList.Kind.BRANCH) {
              fr.exits = true;
            }
          }
        }
        case RAISE -> demoteArm(top, reads);
        case AWAIT, YIELD -> {
          String what = what(m, c);
          for (Read r : reads.values()) {
            if (r.suspendLine == 0) {
              r.suspendLine = c.line();
              r.suspendText = what;
            }
          }
        }
        case CALL -> {
          CallSite cs = m.calls().get(c.site());
          Ref callee = cs.callee();
          if (callee instanceof Ref.Attr a) {
            Ref receiver = snapshotReceiver(fn, a.base(), snapshots, 0);
            if (receiver != null) {
              if (top != null && top.inTest) {
                read(new RecordKey(receiver), fieldOf(cs), c.line(), stack, reads);
              }
            } else {
              Fact write = stateFact(m, cs);
              if (write != null && isWrite(write)) {
                RecordKey key = new RecordKey(a.base());
                Read r = reads.remove(key);
                if (r != null && !"conditional-write".equals(write.category())
                    && !(write.category().equals("filtered-write") && filtered(cs, r.field))) {
                  race(fn, StateKind.RECORD, null, recordWords(a.base(), r.field), r, c.line(), stack, cs,
                      apiName(m, cs), write, false, out);
                }
              }
            }
          }
        }
        case READ_ATTR, READ_ITEM, READ_GLOBAL -> {
          Object key = keyOf(fn, c);
          if (key != null) {
            read(key, null, c.line(), stack, reads);
          } else if (top != null && top.inTest && c.ref() != null) {
            Ref root = kind == EventList.Kind.READ_ATTR ? ((Ref.Attr) c.ref()).base() : c.ref();
            Ref receiver = snapshotReceiver(fn, root, snapshots, 0);
            if (receiver != null) {
              String field = kind == EventList.Kind.READ_ATTR ? ((Ref.Attr) c.ref()).name()
                  : c.key() instanceof Ref.Literal l ? l.text() : null;
              read(new RecordKey(receiver), field, c.line(), stack, reads);
            }
          }
        }
        case WRITE_ATTR, WRITE_ITEM, WRITE_GLOBAL, DELETE_ATTR, DELETE_ITEM -> {
          demoteArm(top, reads);
          Object key = keyOf(fn, c);
          if (key != null) {
            Read r = reads.remove(key);
            if (r != null) {
              StateKind sk = kind == EventList.Kind.WRITE_GLOBAL ? StateKind.GLOBAL
                  : key instanceof ItemKey ? StateKind.ITEM : StateKind.ATTRIBUTE;
              race(fn, sk, key instanceof Ref ref ? ref : null, describe(key), r, c.line(), stack, null, null, null,
                  aliased(fn, key), out);
            }
          }
        }
        default -> {
        }
      }
    }
    return out;
  }

  /** Records a read of {@code key}: a new check replaces an older one. */
  private static void read(Object key, String field, int line, List<Frame> stack,
      Map<Object, Read> reads) {
    Frame top = stack.isEmpty() ? null : stack.get(stack.size() - 1);
    int testFrame = -1;
    if (top != null && top.kind == EventList.Kind.BRANCH && top.inTest) {
      testFrame = top.id;
      top.testReads.add(key);
      if (top.armReads != null) {
        top.armReads.add(key);
      }
    }
    int n = 0;
    for (Frame f : stack) {
      if (f.protects) {
        n++;
      }
    }
    int[] held = new int[n];
    int i = 0;
    for (Frame f : stack) {
      if (f.protects) {
        held[i++] = f.id;
      }
    }
    Read prev = reads.get(key);
    String keep = field == null && prev != null ? prev.field : field;
    reads.put(key, new Read(line, testFrame, held, keep));
  }

  private void race(Project.Fn fn, StateKind kind, Ref stateRef, String state, Read r, int line,
      List<Frame> stack, CallSite writeSite, String writeApi, Fact writeFact, boolean alias,
      List<Race> out) {
    if (r.suspendLine == 0) {
      return;
    }
    Dependence dep;
    if (r.testFrame >= 0 && open(stack, r.testFrame)) {
      dep = Dependence.BRANCH;
    } else if (r.guard) {
      dep = Dependence.GUARD;
    } else if (r.testFrame < 0 && r.line == line && kind != StateKind.RECORD
        && r.suspendLine == line) {
      dep = Dependence.STATEMENT;
    } else {
      return;
    }
    for (int id : r.held) {
      if (open(stack, id)) {
        return;
      }
    }
    if (dep != Dependence.STATEMENT && r.suspendLine == line) {
      // Only the written statement awaits: a lazy initialisation (if x is None: x = await
      // make()), which repeats idempotent work at worst, not a transition.
      return;
    }
    if (dep == Dependence.STATEMENT ? assigned(fn, stateRef, line)
        : kind != StateKind.RECORD && !setsAState(fn, stateRef, line)) {
      // One statement: only an augmented assignment (self.total += await f()) adds to what it
      // read; a plain one (x.id = (await make(x.id)).id) replaces it.
      return;
    }
    out.add(new Race(fn, kind, state, r.line, r.suspendLine, r.suspendText, line, dep, writeSite,
        writeApi, writeFact, alias));
  }

  /**
   * Whether the write at {@code line} sets the state to a named value: a string, or a module-level
   * name or a member of one ({@code DONE}, {@code Status.FAIL}). A write of none (a reset), a
   * boolean (a once-flag: closed, started), a number (a counter reset), a call's or an await's
   * result or a local (a fresh object) is not a transition the read decided. Item writes carry
   * no binding: they are kept.
   */
  private boolean setsAState(Project.Fn fn, Ref target, int line) {
    if (target == null) {
      return true;
    }
    boolean found = false;
    for (Binding b : fn.module().bindings()) {
      if (b.line() != line || b.kind() != Binding.Kind.ASSIGN || !fn.id().equals(b.scope())
          || !target.equals(b.target())) {
        continue;
      }
      found = true;
      Ref v = b.value();
      if (v instanceof Ref.Literal l) {
        // A string names a state; none, a flag or a number is a reset, a once-flag or a count.
        if (l.kind() != Ref.LiteralKind.STRING) {
          return false;
        }
        continue;
      }
      Ref root = v;
      while (root instanceof Ref.Attr a) {
        root = a.base();
      }
      boolean named = root instanceof Ref.QName
          || (root instanceof Ref.Var var && project.function(var.scope()) != null
              && project.function(var.scope()).ir().kind() == FunctionIr.Kind.MODULE);
      if (!named || v instanceof Ref.Call) {
        return false;
      }
    }
    return found;
  }

  /** Whether a plain assignment of {@code target} stands at {@code line}. */
  private static boolean assigned(Project.Fn fn, Ref target, int line) {
    for (Binding b : fn.module().bindings()) {
      if (b.line() == line && b.kind() == Binding.Kind.ASSIGN && fn.id().equals(b.scope())
          && b.target() != null && b.target().equals(target)) {
        return true;
      }
    }
    return false;
  }

  private static boolean open(List<Frame> stack, int id) {
    for (Frame f : stack) {
      if (f.id == id) {
        return true;
      }
    }
    return false;
  }

  private static void pop(List<Frame> stack, EventList.Kind kind, Map<Object, Read> reads) {
    for (int i = stack.size() - 1; i >= 0; i--) {
      Frame f = stack.remove(i);
      if (f.kind == kind) {
        return;
      }
    }
  }

  /** Reads since an ARM that turned out to be an else: they were the arm's body, no condition. */
  private static void demoteArm(Frame top, Map<Object, Read> reads) {
    if (top == null || top.armReads == null) {
      return;
    }
    for (Object key : top.armReads) {
      Read r = reads.get(key);
      if (r != null && r.testFrame == top.id) {
        Read plain = new Read(r.line, -1, r.held, r.field);
        plain.suspendLine = r.suspendLine;
        plain.suspendText = r.suspendText;
        reads.put(key, plain);
      }
      top.testReads.remove(key);
    }
    top.armReads = null;
    top.inTest = false;
  }

  // --- what state an event names --------------------------------------------------------------

  /** The shared-state key of a read or write event, or null when it is no shared state. */
  private Object keyOf(Project.Fn fn, EventList.Cursor c) {
    Ref ref = c.ref();
    return switch (c.kind()) {
      case READ_GLOBAL, WRITE_GLOBAL -> ref;
      case READ_ATTR, WRITE_ATTR, DELETE_ATTR ->
          ref instanceof Ref.Attr a && shared(fn, a.base(), 0) ? a : null;
      case READ_ITEM, WRITE_ITEM, DELETE_ITEM -> {
        Ref key = c.key();
        yield key != null && shared(fn, ref, 0) ? new ItemKey(ref, key) : null;
      }
      default -> null;
    };
  }

  /**
   * Whether {@code ref} names an object other tasks can reach: the method's receiver, a module
   * variable or an imported name, an attribute or item of one, or a local every binding of which
   * is one of those.
   */
  private boolean shared(Project.Fn fn, Ref ref, int depth) {
    Ref root = ref;
    while (root instanceof Ref.Attr a) {
      root = a.base();
    }
    if (root instanceof Ref.QName) {
      return true;
    }
    if (!(root instanceof Ref.Var v)) {
      return false;
    }
    Project.Fn owner = project.function(v.scope());
    if (owner == null) {
      return false;
    }
    FunctionIr o = owner.ir();
    if (o.kind() == FunctionIr.Kind.MODULE) {
      return true;
    }
    if (isReceiver(o, v.name()) || (depth == 0 && v.scope().equals(fn.id())
        && isParam(o, v.name()))) {
      // The receiver, or an object handed in (a job taken from a shared queue): both outlive
      // the call.
      return true;
    }
    if (depth >= MAX_ALIAS_DEPTH || !v.scope().equals(fn.id())) {
      return false;
    }
    return aliasOfShared(fn, v, depth);
  }

  private boolean aliasOfShared(Project.Fn fn, Ref.Var v, int depth) {
    List<Binding> bs = project.bindingsOf(v.scope(), v.name());
    if (bs.isEmpty() || isParam(fn.ir(), v.name())) {
      return false;
    }
    for (Binding b : bs) {
      if (b.kind() != Binding.Kind.ASSIGN || b.value() == null || b.value() instanceof Ref.Call
          || !shared(fn, b.value(), depth + 1)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isReceiver(FunctionIr f, String name) {
    return f.isMethod() && !f.hasFlag(FunctionIr.Flag.STATIC) && !f.params().isEmpty()
        && f.params().get(0).name().equals(name);
  }

  private static boolean isParam(FunctionIr f, String name) {
    for (FunctionIr.Param p : f.params()) {
      if (p.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private boolean aliased(Project.Fn fn, Object key) {
    Ref ref = key instanceof ItemKey ik ? ik.container() : key instanceof Ref.Attr a ? a.base() : null;
    while (ref instanceof Ref.Attr a) {
      ref = a.base();
    }
    return ref instanceof Ref.Var v && v.scope().equals(fn.id()) && !isReceiver(fn.ir(), v.name());
  }

  /**
   * When {@code ref} is rooted at a local of {@code fn} that holds a record read through a
   * {@code read} state API (or something derived from one by a call on it: {@code snap.to_dict()}),
   * the receiver of that read (the collection, the document reference); else null.
   */
  private Ref snapshotReceiver(Project.Fn fn, Ref ref, Map<Ref, Ref> memo, int depth) {
    Ref root = ref;
    while (root instanceof Ref.Attr a) {
      root = a.base();
    }
    if (!(root instanceof Ref.Var v) || !v.scope().equals(fn.id()) || depth > MAX_ALIAS_DEPTH) {
      return null;
    }
    if (memo.containsKey(v)) {
      return memo.get(v);
    }
    memo.put(v, null);
    Ref receiver = null;
    for (Binding b : project.bindingsOf(v.scope(), v.name())) {
      if (b.kind() != Binding.Kind.ASSIGN || !(b.value() instanceof Ref.Call call)) {
        continue;
      }
      CallSite cs = fn.module().calls().get(call.site());
      if (!(cs.callee() instanceof Ref.Attr a)) {
        continue;
      }
      Fact f = stateFact(fn.module(), cs);
      if (f != null && "read".equals(f.category())) {
        receiver = a.base();
      } else {
        receiver = snapshotReceiver(fn, a.base(), memo, depth + 1);
      }
      if (receiver != null) {
        break;
      }
    }
    memo.put(v, receiver);
    return receiver;
  }

  private static boolean isWrite(Fact f) {
    return switch (f.category()) {
      case "write", "filtered-write", "conditional-write" -> true;
      default -> false;
    };
  }

  /**
   * Whether a filtered write's selection (its first argument: a filter document, or a statement's
   * WHERE clause) names the field the check read: the write only happens while the stored value
   * still matches. Unknown selections (a variable) count as filtered: the rule stays quiet.
   */
  static boolean filtered(CallSite cs, String field) {
    Arg a = cs.arg(0);
    String text = a == null ? null : a.text();
    if (text == null && a != null) {
      text = a.value() instanceof Ref.Unknown u ? u.text()
          : a.value() instanceof Ref.Literal l ? l.text() : null;
    }
    if (text == null || field == null) {
      return true;
    }
    String lower = text.toLowerCase(Locale.ROOT);
    int where = lower.lastIndexOf("where");
    String selection = where >= 0 ? lower.substring(where) : lower;
    return selection.contains(field.toLowerCase(Locale.ROOT)) || text.endsWith("...");
  }

  private static String fieldOf(CallSite cs) {
    Arg a = cs.arg(0);
    return a != null && a.value() instanceof Ref.Literal l ? l.text() : null;
  }

  /** The state fact of the API {@code cs} calls, if any. */
  private Fact stateFact(ModuleIr m, CallSite cs) {
    for (Target t : model.graph().targets(m, cs)) {
      if (t instanceof Target.Api api) {
        Fact f = model.facts().state(api.name());
        if (f != null) {
          return f;
        }
      }
    }
    return null;
  }

  private String apiName(ModuleIr m, CallSite cs) {
    for (Target t : model.graph().targets(m, cs)) {
      if (t instanceof Target.Api api && model.facts().state(api.name()) != null) {
        return api.name();
      }
    }
    return cs.calleeText();
  }

  // --- what protects -------------------------------------------------------------------------

  /**
   * Whether holding context manager {@code ref} keeps other tasks out: a lock type, a transaction
   * API, or a manager the analysis cannot type (the rule stays quiet rather than guess).
   */
  private boolean protects(ModuleIr m, Ref ref) {
    if (ref instanceof Ref.Call call) {
      CallSite cs = m.calls().get(call.site());
      boolean external = false;
      for (Target t : model.graph().targets(m, cs)) {
        if (t instanceof Target.Api api) {
          external = true;
          Fact f = model.facts().state(api.name());
          if ((f != null && "transaction".equals(f.category()))
              || model.facts().lock(api.name()) != null) {
            return true;
          }
        }
      }
      if (!external) {
        return true;
      }
    }
    List<Val> vals = model.values().eval(m, ref);
    if (vals.isEmpty()) {
      return true;
    }
    for (Val v : vals) {
      String type = v instanceof Val.Instance i ? i.type() : v instanceof Val.External e ? e.name() : null;
      if (type == null) {
        return true;
      }
      Fact st = model.facts().state(type);
      if (model.facts().lock(type) != null || (st != null && "transaction".equals(st.category()))) {
        return true;
      }
      if (v instanceof Val.Instance i && i.project()) {
        return true;
      }
    }
    return false;
  }

  /** A decorator of the function that is a transaction API ({@code @transactional}). */
  private boolean transactional(Project.Fn fn) {
    ModuleIr m = fn.module();
    for (Ref d : fn.ir().decorators()) {
      Ref r = d instanceof Ref.Call call ? m.calls().get(call.site()).callee() : d;
      for (Val v : model.values().eval(m, r)) {
        String name = v instanceof Val.External e ? e.name() : null;
        Fact f = name == null ? null : model.facts().state(name);
        if (f != null && "transaction".equals(f.category())) {
          return true;
        }
      }
      if (d instanceof Ref.Call call) {
        Fact f = stateFact(m, m.calls().get(call.site()));
        if (f != null && "transaction".equals(f.category())) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether the function calls a method of a lock outside a with statement (acquire ... release):
   * the events do not tell which stretch it holds, so the rule stays quiet.
   */
  private boolean acquiresExplicitly(Project.Fn fn) {
    ModuleIr m = fn.module();
    for (CallSite cs : project.callsIn(fn.id())) {
      if (cs.hasFlag(CallSite.CallFlag.IMPLICIT) || !(cs.callee() instanceof Ref.Attr a)) {
        continue;
      }
      for (Val v : model.values().eval(m, a.base())) {
        if (v instanceof Val.Instance i && model.facts().lock(i.type()) != null) {
          return true;
        }
      }
    }
    return false;
  }

  // --- words ---------------------------------------------------------------------------------

  private static String what(ModuleIr m, EventList.Cursor c) {
    if (c.kind() == EventList.Kind.YIELD) {
      return "yield";
    }
    int site = c.site();
    return site >= 0 ? m.calls().get(site).calleeText() : null;
  }

  private static String recordWords(Ref receiver, String field) {
    return (field == null ? "a record" : "the " + field + " of a record") + " of " + receiver;
  }

  private static String describe(Object key) {
    if (key instanceof ItemKey ik) {
      return ik.container() + "[" + ik.key() + "]";
    }
    return String.valueOf(key);
  }
}
