package dev.loopguard.core.ir;

import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The one description of the IR's records: for each record, its fields in component order, each
 * with its kind and whether the incremental hash covers it, and how to make the record from its
 * fields' values. The cache codec ({@code IrCodec}) and the incremental hash
 * ({@code Contributions}) are driven by it, so a new IR field is one record component and one line
 * here; a test checks that every component of every IR record is described, in order.
 *
 * <p>Two value kinds have fixed encodings instead of a record description: {@link Span}
 * ({@link Kind#SPAN}) and the sealed {@link Ref} family ({@link Kind#REF}).
 */
public final class IrSchema {
  private IrSchema() {}

  /** What a field holds. "Nullable" kinds encode null; the others never hold it. */
  public enum Kind {
    /** An int. */
    INT,
    /** A boolean. */
    BOOL,
    /** A string, nullable. */
    STRING,
    /** A constant of {@link Field#enumType()}, nullable. */
    ENUM,
    /** A set of constants of {@link Field#enumType()}. */
    FLAGS,
    /** A {@link Ref}, nullable. */
    REF,
    /** A {@link Span}, nullable. */
    SPAN,
    /** A list of strings (non-null elements). */
    STRINGS,
    /** A list of refs (non-null elements). */
    REFS,
    /** A list of records of {@link Field#element()}. */
    LIST,
    /** A record of {@link Field#element()}, not null. */
    RECORD,
    /** An int array. */
    INTS
  }

  /**
   * One field of a record.
   *
   * @param name the record component's name
   * @param kind what it holds
   * @param hashed whether the incremental hash covers it (positions and texts for messages do not
   *     change what call resolution reads, so an edit that only moves code changes no hash)
   * @param get the accessor, for every kind but INT and BOOL
   * @param getInt the accessor for INT and BOOL (1 for true)
   * @param element the record type of LIST and RECORD fields
   * @param enumType the enum of ENUM and FLAGS fields
   */
  public record Field<T>(String name, Kind kind, boolean hashed, Function<T, ?> get,
      ToIntFunction<T> getInt, Type<?> element, Class<? extends Enum<?>> enumType) {

    /** The same field, not covered by the incremental hash. */
    public Field<T> notHashed() {
      return new Field<>(name, kind, false, get, getInt, element, enumType);
    }

    /** The field's value of {@code record} (boxed for INT and BOOL). */
    public Object value(T record) {
      return switch (kind) {
        case INT -> getInt.applyAsInt(record);
        case BOOL -> getInt.applyAsInt(record) != 0;
        default -> get.apply(record);
      };
    }
  }

  /**
   * What a decoder hands a record's maker: the values of the record's fields, read one after
   * another in the schema's order. Each method reads the next field, which must be of its kind.
   */
  public interface Values {
    int i();

    boolean b();

    String s();

    <E extends Enum<E>> E e(Class<E> type);

    <E extends Enum<E>> Set<E> flags(Class<E> type);

    Ref ref();

    Span span();

    List<String> strings();

    List<Ref> refs();

    <R> List<R> list(Type<R> type);

    <R> R record(Type<R> type);

    int[] ints();
  }

  /**
   * A record type: its class, its fields in component order, and its maker, which reads the
   * fields' values in that order and calls the canonical constructor. (A class, not a record: the
   * codec reads fields by index, from an array, on its hot path.)
   */
  public static final class Type<T> {
    private final Class<T> type;
    private final List<Field<T>> fields;
    private final Field<?>[] array;
    private final Function<Values, T> make;

    private Type(Class<T> type, List<Field<T>> fields, Function<Values, T> make) {
      this.type = type;
      this.fields = fields;
      this.array = fields.toArray(new Field<?>[0]);
      this.make = make;
    }

    @SafeVarargs
    static <T> Type<T> of(Class<T> type, Function<Values, T> make, Field<T>... fields) {
      return new Type<>(type, List.of(fields), make);
    }

    public Class<T> type() {
      return type;
    }

    public List<Field<T>> fields() {
      return fields;
    }

    public Function<Values, T> make() {
      return make;
    }

    /** The number of fields. */
    public int size() {
      return array.length;
    }

    /** Field {@code i}, in component order. */
    @SuppressWarnings("unchecked")
    public Field<T> field(int i) {
      return (Field<T>) array[i];
    }

    @Override
    public String toString() {
      return type.getSimpleName();
    }
  }

  // ------------------------------------------------------------------ field factories

  static <T> Field<T> integer(String name, ToIntFunction<T> get) {
    return new Field<>(name, Kind.INT, true, null, get, null, null);
  }

  static <T> Field<T> bool(String name, java.util.function.Predicate<T> get) {
    return new Field<>(name, Kind.BOOL, true, null, r -> get.test(r) ? 1 : 0, null, null);
  }

  static <T> Field<T> string(String name, Function<T, String> get) {
    return new Field<>(name, Kind.STRING, true, get, null, null, null);
  }

  static <T, E extends Enum<E>> Field<T> enumeration(String name, Class<E> type,
      Function<T, E> get) {
    return new Field<>(name, Kind.ENUM, true, get, null, null, type);
  }

  static <T, E extends Enum<E>> Field<T> flags(String name, Class<E> type,
      Function<T, Set<E>> get) {
    return new Field<>(name, Kind.FLAGS, true, get, null, null, type);
  }

  static <T> Field<T> ref(String name, Function<T, Ref> get) {
    return new Field<>(name, Kind.REF, true, get, null, null, null);
  }

  static <T> Field<T> span(String name, Function<T, Span> get) {
    return new Field<>(name, Kind.SPAN, true, get, null, null, null);
  }

  static <T> Field<T> strings(String name, Function<T, List<String>> get) {
    return new Field<>(name, Kind.STRINGS, true, get, null, null, null);
  }

  static <T> Field<T> refs(String name, Function<T, List<Ref>> get) {
    return new Field<>(name, Kind.REFS, true, get, null, null, null);
  }

  static <T, R> Field<T> list(String name, Type<R> element, Function<T, List<R>> get) {
    return new Field<>(name, Kind.LIST, true, get, null, element, null);
  }

  static <T, R> Field<T> record(String name, Type<R> element, Function<T, R> get) {
    return new Field<>(name, Kind.RECORD, true, get, null, element, null);
  }

  static <T> Field<T> ints(String name, Function<T, int[]> get) {
    return new Field<>(name, Kind.INTS, true, get, null, null, null);
  }

  // ------------------------------------------------------------------ the IR

  public static final Type<EventList> EVENTS = Type.of(EventList.class,
      v -> new EventList(v.ints(), v.refs()),
      ints("code", EventList::code),
      refs("refs", EventList::refs));

  public static final Type<FunctionIr.Param> PARAM = Type.of(FunctionIr.Param.class,
      v -> new FunctionIr.Param(v.s(), v.e(FunctionIr.ParamKind.class), v.ref(), v.ref()),
      string("name", FunctionIr.Param::name),
      enumeration("kind", FunctionIr.ParamKind.class, FunctionIr.Param::kind),
      ref("annotation", FunctionIr.Param::annotation),
      ref("defaultValue", FunctionIr.Param::defaultValue));

  public static final Type<FunctionIr> FUNCTION = Type.of(FunctionIr.class,
      v -> new FunctionIr(v.s(), v.s(), v.s(), v.e(FunctionIr.Kind.class), v.b(), v.span(),
          v.span(), v.s(), v.s(), v.refs(), v.list(PARAM), v.ref(), v.flags(FunctionIr.Flag.class),
          v.record(EVENTS)),
      string("id", FunctionIr::id),
      string("qualifiedName", FunctionIr::qualifiedName),
      string("name", FunctionIr::name),
      enumeration("kind", FunctionIr.Kind.class, FunctionIr::kind),
      bool("async", FunctionIr::async),
      span("span", FunctionIr::span).notHashed(),
      span("nameSpan", FunctionIr::nameSpan).notHashed(),
      string("parent", FunctionIr::parent),
      string("classId", FunctionIr::classId),
      refs("decorators", FunctionIr::decorators),
      list("params", PARAM, FunctionIr::params),
      ref("returns", FunctionIr::returns),
      flags("flags", FunctionIr.Flag.class, FunctionIr::flags),
      // What the body does in order: call resolution reads none of it.
      record("events", EVENTS, FunctionIr::events).notHashed());

  public static final Type<ClassIr> CLASS = Type.of(ClassIr.class,
      v -> new ClassIr(v.s(), v.s(), v.s(), v.span(), v.refs(), v.refs(), v.s()),
      string("id", ClassIr::id),
      string("qualifiedName", ClassIr::qualifiedName),
      string("name", ClassIr::name),
      span("span", ClassIr::span).notHashed(),
      refs("bases", ClassIr::bases),
      refs("decorators", ClassIr::decorators),
      string("scope", ClassIr::scope));

  public static final Type<Arg> ARG = Type.of(Arg.class,
      v -> new Arg(v.s(), v.i(), v.ref(), v.s()),
      string("keyword", Arg::keyword),
      integer("position", Arg::position),
      ref("value", Arg::value),
      string("text", Arg::text).notHashed());

  /** A call site's hashed fields are what its result depends on: callee and arguments. */
  public static final Type<CallSite> CALL_SITE = Type.of(CallSite.class,
      v -> new CallSite(v.i(), v.s(), v.ref(), v.s(), v.i(), v.i(), v.i(), v.i(), v.b(),
          v.list(ARG), v.i(), v.e(CallSite.LoopKind.class), v.flags(CallSite.CallFlag.class)),
      integer("index", CallSite::index).notHashed(),
      string("scope", CallSite::scope).notHashed(),
      ref("callee", CallSite::callee),
      string("calleeText", CallSite::calleeText).notHashed(),
      integer("line", CallSite::line).notHashed(),
      integer("column", CallSite::column).notHashed(),
      integer("endLine", CallSite::endLine).notHashed(),
      integer("endColumn", CallSite::endColumn).notHashed(),
      bool("awaited", CallSite::awaited).notHashed(),
      list("args", ARG, CallSite::args),
      integer("loopDepth", CallSite::loopDepth).notHashed(),
      enumeration("loopKind", CallSite.LoopKind.class, CallSite::loopKind).notHashed(),
      flags("flags", CallSite.CallFlag.class, CallSite::flags).notHashed());

  public static final Type<Binding> BINDING = Type.of(Binding.class,
      v -> new Binding(v.s(), v.e(Binding.Kind.class), v.ref(), v.ref(), v.i(), v.i(), v.i(),
          v.i()),
      string("scope", Binding::scope),
      enumeration("kind", Binding.Kind.class, Binding::kind),
      ref("target", Binding::target),
      ref("value", Binding::value),
      integer("line", Binding::line).notHashed(),
      integer("column", Binding::column).notHashed(),
      integer("endLine", Binding::endLine).notHashed(),
      integer("endColumn", Binding::endColumn).notHashed());

  public static final Type<Directive> DIRECTIVE = Type.of(Directive.class,
      v -> new Directive(v.i(), v.s(), v.b()),
      integer("line", Directive::line),
      string("text", Directive::text),
      bool("ownLine", Directive::ownLine));

  public static final Type<Diagnostic> DIAGNOSTIC = Type.of(Diagnostic.class,
      v -> new Diagnostic(v.s(), v.i(), v.i(), v.s(), v.s()),
      string("path", Diagnostic::path),
      integer("line", Diagnostic::line),
      integer("column", Diagnostic::column),
      string("kind", Diagnostic::kind),
      string("message", Diagnostic::message));

  public static final Type<ModuleIr> MODULE = Type.of(ModuleIr.class,
      v -> new ModuleIr(v.s(), v.s(), v.strings(), v.s(), v.b(), v.i(), v.list(FUNCTION),
          v.list(CLASS), v.list(CALL_SITE), v.list(BINDING), v.strings(), v.list(DIRECTIVE),
          v.list(DIAGNOSTIC), v.b()),
      string("path", ModuleIr::path),
      string("module", ModuleIr::module),
      strings("aliases", ModuleIr::aliases),
      string("language", ModuleIr::language),
      bool("packageInit", ModuleIr::packageInit),
      integer("lines", ModuleIr::lines),
      list("functions", FUNCTION, ModuleIr::functions),
      list("classes", CLASS, ModuleIr::classes),
      list("calls", CALL_SITE, ModuleIr::calls),
      list("bindings", BINDING, ModuleIr::bindings),
      strings("starImports", ModuleIr::starImports),
      list("directives", DIRECTIVE, ModuleIr::directives),
      list("diagnostics", DIAGNOSTIC, ModuleIr::diagnostics),
      bool("outline", ModuleIr::outline));

  /** Every record type described, the module first. */
  public static final List<Type<?>> TYPES = List.of(MODULE, FUNCTION, PARAM, EVENTS, CLASS,
      CALL_SITE, ARG, BINDING, DIRECTIVE, DIAGNOSTIC);
}
