package dev.loopguard.core.ir;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The schema describes every field of every IR record, so a new field cannot be left out. */
class IrSchemaTest {

  @Test
  void everyComponentOfEveryRecordIsInTheSchemaInOrderWithItsKind() {
    for (IrSchema.Type<?> t : IrSchema.TYPES) {
      RecordComponent[] components = t.type().getRecordComponents();
      assertThat(components).as("%s is a record", t).isNotNull();
      List<String> names = new ArrayList<>();
      for (RecordComponent c : components) {
        names.add(c.getName());
      }
      assertThat(t.fields()).extracting(IrSchema.Field::name).as("fields of %s", t)
          .containsExactlyElementsOf(names);
      for (int i = 0; i < components.length; i++) {
        IrSchema.Field<?> f = t.fields().get(i);
        assertThat(kindOf(components[i].getGenericType(), f)).as("kind of %s.%s", t, f.name())
            .isEqualTo(f.kind());
      }
    }
  }

  @Test
  void everyRecordReachableFromTheModuleIsDescribed() {
    Set<Class<?>> described = new HashSet<>();
    for (IrSchema.Type<?> t : IrSchema.TYPES) {
      described.add(t.type());
    }
    Set<Class<?>> reached = new HashSet<>();
    reach(ModuleIr.class, reached);
    // Span and the Ref family have fixed encodings (IrSchema.Kind.SPAN and REF).
    reached.remove(Span.class);
    reached.removeIf(Ref.class::isAssignableFrom);
    assertThat(described).containsExactlyInAnyOrderElementsOf(reached);
  }

  @Test
  void theFixedEncodingsKnowEveryRefKindAndTheSpansParts() {
    assertThat(Ref.class.getPermittedSubclasses()).extracting(Class::getSimpleName)
        .as("a new kind of Ref needs its case in IrCodec and Contributions, then here")
        .containsExactlyInAnyOrder("QName", "Var", "Attr", "Call", "Func", "Literal", "Super",
            "Unknown");
    assertThat(Span.class.getRecordComponents()).extracting(RecordComponent::getName)
        .containsExactly("line", "column", "endLine", "endColumn");
  }

  @Test
  void eachMakerReadsItsFieldsInTheSchemasOrder() {
    // A maker that reads a field of another kind than the schema says fails on the first decode;
    // this checks the makers against the field lists without a codec.
    for (IrSchema.Type<?> t : IrSchema.TYPES) {
      RandomIr values = new RandomIr(7);
      Object made = values.make(t);
      assertThat(made).as("%s", t).isInstanceOf(t.type());
      for (IrSchema.Field f : t.fields()) {
        assertThat(valueOf(f, made)).as("%s.%s", t, f.name()).isEqualTo(values.lastValues(t)
            .get(t.fields().indexOf(f)));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Object valueOf(IrSchema.Field f, Object record) {
    return f.value(record);
  }

  private static void reach(Class<?> type, Set<Class<?>> out) {
    if (!out.add(type) || !type.isRecord()) {
      return;
    }
    for (RecordComponent c : type.getRecordComponents()) {
      for (Class<?> k : classesIn(c.getGenericType())) {
        if (k.isRecord() || (k.isInterface() && k.isSealed())) {
          reach(k, out);
        }
      }
    }
  }

  private static List<Class<?>> classesIn(Type t) {
    List<Class<?>> out = new ArrayList<>();
    if (t instanceof Class<?> c) {
      out.add(c);
    } else if (t instanceof ParameterizedType p) {
      for (Type a : p.getActualTypeArguments()) {
        out.addAll(classesIn(a));
      }
    }
    return out;
  }

  private static IrSchema.Kind kindOf(Type t, IrSchema.Field<?> f) {
    if (t == int.class) {
      return IrSchema.Kind.INT;
    }
    if (t == boolean.class) {
      return IrSchema.Kind.BOOL;
    }
    if (t == String.class) {
      return IrSchema.Kind.STRING;
    }
    if (t == Ref.class) {
      return IrSchema.Kind.REF;
    }
    if (t == Span.class) {
      return IrSchema.Kind.SPAN;
    }
    if (t == int[].class) {
      return IrSchema.Kind.INTS;
    }
    if (t instanceof Class<?> c && c.isEnum()) {
      assertThat(f.enumType()).as(f.name()).isEqualTo(c);
      return IrSchema.Kind.ENUM;
    }
    if (t instanceof Class<?> c && c.isRecord()) {
      assertThat(f.element().type()).as(f.name()).isEqualTo(c);
      return IrSchema.Kind.RECORD;
    }
    if (t instanceof ParameterizedType p) {
      Type arg = p.getActualTypeArguments()[0];
      if (p.getRawType() == Set.class && arg instanceof Class<?> e && e.isEnum()) {
        assertThat(f.enumType()).as(f.name()).isEqualTo(e);
        return IrSchema.Kind.FLAGS;
      }
      if (p.getRawType() == List.class) {
        if (arg == String.class) {
          return IrSchema.Kind.STRINGS;
        }
        if (arg == Ref.class) {
          return IrSchema.Kind.REFS;
        }
        if (arg instanceof Class<?> r && r.isRecord()) {
          assertThat(f.element().type()).as(f.name()).isEqualTo(r);
          return IrSchema.Kind.LIST;
        }
      }
    }
    throw new AssertionError("no schema kind holds " + t + " (field " + f.name() + ")");
  }
}
