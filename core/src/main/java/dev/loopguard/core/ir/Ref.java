package dev.loopguard.core.ir;

import java.util.Objects;

/**
 * A reference to a value, as far as a frontend can tell it without running the program. Refs are
 * the only "expressions" the core sees: enough to resolve callees and infer receiver types, no
 * more.
 *
 * <p>Frontends resolve lexical names before lowering: an imported or module-level name becomes a
 * {@link QName}, a local, parameter or closure variable becomes a {@link Var} of the scope that
 * owns it, and a name the frontend cannot resolve becomes {@link Unknown}.
 *
 * <p>Refs are the keys of the analysis' hottest maps, so each record spells out equals and
 * hashCode: the generated ones go through method handles that only C2 compiles well, and scans
 * run on C1.
 */
public sealed interface Ref
    permits Ref.QName, Ref.Var, Ref.Attr, Ref.Call, Ref.Func, Ref.Literal, Ref.Super, Ref.Unknown {

  /**
   * A fully qualified name: an external API ({@code time.sleep}, {@code httpx.Client},
   * {@code builtins.open}) or a project entity ({@code app.db.client}, {@code app.util.backoff}).
   * A module attribute chain on a module ({@code os.path.exists}) is one QName.
   */
  record QName(String name) implements Ref {
    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof QName q && q.name.equals(name);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    public QName {
      Objects.requireNonNull(name);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * A variable owned by a scope: {@code scope} is the id of a {@link FunctionIr} (the module
   * scope, a class body, a function or a lambda). Parameters, locals, closure variables read from
   * an enclosing function, and module-level variables (scope = the module scope id) are all Vars.
   */
  record Var(String scope, String name) implements Ref {
    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof Var v && v.name.equals(name) && Objects.equals(v.scope, scope);
    }

    @Override
    public int hashCode() {
      return 31 * Objects.hashCode(scope) + name.hashCode();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Attribute {@code name} read from {@code base}: {@code self.client}, {@code resp.json}. */
  record Attr(Ref base, String name) implements Ref {
    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof Attr a && a.name.equals(name) && a.base.equals(base);
    }

    @Override
    public int hashCode() {
      return 31 * base.hashCode() + name.hashCode() + 7;
    }

    @Override
    public String toString() {
      return base + "." + name;
    }
  }

  /** The result of call site {@code site} (an index into {@link ModuleIr#calls()}). */
  record Call(int site) implements Ref {
    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof Call c && c.site == site;
    }

    @Override
    public int hashCode() {
      return 0x9E3779B9 * (site + 1);
    }

    @Override
    public String toString() {
      return "call#" + site;
    }
  }

  /** A function or lambda used as a value (e.g. passed as an argument): its {@link FunctionIr#id()}. */
  record Func(String functionId) implements Ref {
    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof Func f && f.functionId.equals(functionId);
    }

    @Override
    public int hashCode() {
      return functionId.hashCode() * 17 + 3;
    }

    @Override
    public String toString() {
      return "func:" + functionId;
    }
  }

  /** A literal. {@code text} is the literal's value for strings, its source text otherwise. */
  record Literal(LiteralKind kind, String text) implements Ref {
    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof Literal l && l.kind == kind && Objects.equals(l.text, text);
    }

    @Override
    public int hashCode() {
      return kind.ordinal() * 31 + Objects.hashCode(text);
    }

    @Override
    public String toString() {
      return kind == LiteralKind.STRING ? '"' + text + '"' : text;
    }
  }

  /** {@code super()} inside a method of class {@code classId}. */
  record Super(String classId) implements Ref {
    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof Super x && Objects.equals(x.classId, classId);
    }

    @Override
    public int hashCode() {
      return Objects.hashCode(classId) * 13 + 5;
    }

    @Override
    public String toString() {
      return "super()";
    }
  }

  /** Something the frontend could not (or chose not to) describe; {@code text} is for messages. */
  record Unknown(String text) implements Ref {
    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof Unknown u && Objects.equals(u.text, text);
    }

    @Override
    public int hashCode() {
      return Objects.hashCode(text) * 11 + 1;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  enum LiteralKind {
    STRING,
    NUMBER,
    BOOL,
    NONE,
    OTHER
  }
}
