package dev.loopguard.core.rules.perf004;

import static dev.loopguard.core.analysis.IrBuilder.kw;
import static dev.loopguard.core.analysis.IrBuilder.pos;
import static dev.loopguard.core.analysis.IrBuilder.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.analysis.CallGraph;
import dev.loopguard.core.analysis.ExecutionContext;
import dev.loopguard.core.analysis.Heat;
import dev.loopguard.core.analysis.IrBuilder;
import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.frontend.LanguageSemantics;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.knowledge.FactIndex;
import dev.loopguard.core.knowledge.PackLoader;
import dev.loopguard.core.model.Confidence;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** perf-004's loop blocks on hand-built IR: no frontend involved. */
class LoopBlocksTest {
  /** The model and perf-004's derived facts, as the tests ask them. */
  private record Analysed(SemanticModel model, LoopBlocks loop) {
    List<LoopBlocks.LoopBlock> blocks() {
      return loop.blocks();
    }

    List<ExecutionContext.Evidence> evidence() {
      return model.context().evidence();
    }

    int offloadCount(String id) {
      return model.context().offloadCount(id);
    }

    ExecutionContext.HeatInfo heatOf(String id) {
      return model.context().heatOf(id);
    }

    CallGraph graph() {
      return model.graph();
    }

    Project project() {
      return model.project();
    }
  }

  private static final FactIndex FACTS = FactIndex.of(new PackLoader().parse("""
      pack: test/facts
      facts:
        - id: t:sleep
          match: lib.sleep
          kind: blocking
          category: sleep
        - id: t:http
          match: http.Client.{get,post}
          kind: blocking
          category: http
        - id: t:offload
          match: lib.to_thread
          kind: offloads
          callable-arg: 0
        - id: t:partial
          match: lib.partial
          kind: partial
          callable-arg: 0
        - id: t:route
          match: web.App.get
          kind: entry-point
          entry: request
          applies-to: decorator
          sync-handler: threadpool
        - id: t:ws
          match: web.App.ws
          kind: entry-point
          entry: websocket
          applies-to: decorator
        - id: t:task
          match: lib.create_task
          kind: entry-point
          entry: background
          applies-to: call
          callable-arg: 0
        - id: t:factory
          match: http.connect
          kind: type
          returns: http.Client
      """.getBytes(StandardCharsets.UTF_8), "test.yaml"));

  /** A language whose libraries name async twins {@code am}, {@code async_m} and {@code AsyncC.m}. */
  private static final LanguageSemantics TWINS = new LanguageSemantics() {
    @Override
    public String constructorMember() {
      return "init";
    }

    @Override
    public String callOperatorMember() {
      return "call";
    }

    @Override
    public boolean isImplicitMember(String member) {
      return false;
    }

    @Override
    public boolean isReservedMember(String member) {
      return false;
    }

    @Override
    public <T> List<T> linearise(T self, List<List<T>> bases) {
      return LanguageSemantics.depthFirst(self, bases);
    }

    @Override
    public List<String> asyncTwinNames(String owner, String prefix, String cls, String method) {
      return List.of(owner + ".a" + method, owner + ".async_" + method, prefix + "Async" + cls + "." + method);
    }
  };

  private static Analysed analyse(IrBuilder... modules) {
    Project p = new Project(java.util.Arrays.stream(modules).map(IrBuilder::build).toList());
    SemanticModel model = new SemanticModel(p, FACTS, TWINS).run(cs -> false);
    return new Analysed(model, LoopBlocks.of(model));
  }

  @Test
  void directBlockingCallInAsyncFunctionIsHighConfidence() {
    IrBuilder m = new IrBuilder("app/api.py", "app.api");
    String h = m.fn("handler", true);
    m.call(h, q("lib.sleep"));
    Analysed a = analyse(m);
    assertThat(a.blocks()).hasSize(1);
    assertThat(a.blocks().get(0).api()).isEqualTo("lib.sleep");
    assertThat(a.blocks().get(0).confidence()).isEqualTo(Confidence.HIGH);
  }

  @Test
  void chainsThroughHelpersAcrossModulesAreMediumWithEveryHop() {
    IrBuilder util = new IrBuilder("app/util.py", "app.util");
    String inner = util.fn("inner", false);
    util.call(inner, q("lib.sleep"));
    String outer = util.fn("outer", false);
    util.call(outer, q("app.util.inner"));
    IrBuilder api = new IrBuilder("app/api.py", "app.api");
    String h = api.fn("handler", true);
    api.call(h, q("app.util.outer"));
    Analysed a = analyse(util, api);
    assertThat(a.blocks()).hasSize(1);
    LoopBlocks.LoopBlock b = a.blocks().get(0);
    assertThat(b.confidence()).isEqualTo(Confidence.MEDIUM);
    assertThat(b.chain()).extracting(LoopBlocks.Step::label)
        .containsExactly("app.util.outer", "app.util.inner", "lib.sleep");
  }

  @Test
  void recursionAndCyclesTerminate() {
    IrBuilder m = new IrBuilder("app/x.py", "app.x");
    String f = m.fn("f", false);
    String g = m.fn("g", false);
    m.call(f, q("app.x.g"));
    m.call(g, q("app.x.f"));
    m.call(g, q("app.x.g"));
    m.call(g, q("lib.sleep"));
    String h = m.fn("h", true);
    m.call(h, q("app.x.f"));
    Analysed a = analyse(m);
    assertThat(a.blocks()).hasSize(1);
    assertThat(a.blocks().get(0).chain()).hasSize(3);
  }

  @Test
  void offloadedCallablesAndPartialsAreNotCalledOnTheLoop() {
    IrBuilder m = new IrBuilder("app/x.py", "app.x");
    String work = m.fn("work", false);
    m.call(work, q("lib.sleep"));
    String h = m.fn("h", true);
    m.call(h, q("lib.to_thread"), true, 0, pos(0, q("app.x.work")));
    Ref.Call partial = m.call(h, q("lib.partial"), pos(0, q("app.x.work")));
    m.call(h, q("lib.to_thread"), true, 0, pos(0, partial));
    Analysed a = analyse(m);
    assertThat(a.blocks()).isEmpty();
    assertThat(a.evidence()).extracting(ExecutionContext.Evidence::kind).contains("offload");
    assertThat(a.offloadCount("app.x.work")).isEqualTo(2);
  }

  @Test
  void receiversFromFactoriesSelfAttributesAndSubclassesResolve() {
    IrBuilder m = new IrBuilder("app/svc.py", "app.svc");
    String cls = m.cls("Service");
    String init = m.method(cls, "init", false);
    Ref.Call client = m.call(init, q("http.connect"));
    m.assign(init, new Ref.Attr(new Ref.Var(init, "self"), "client"), client);
    String run = m.method(cls, "run", true);
    m.call(run, new Ref.Attr(new Ref.Attr(new Ref.Var(run, "self"), "client"), "get"));
    String sub = m.cls("MyClient", q("http.Client"));
    String h = m.fn("h", true);
    Ref.Call inst = m.call(h, q(sub));
    m.assign(h, new Ref.Var(h, "c"), inst);
    m.call(h, new Ref.Attr(new Ref.Var(h, "c"), "post"));
    Analysed a = analyse(m);
    assertThat(a.blocks()).extracting(LoopBlocks.LoopBlock::api)
        .containsExactly("http.Client.get", "http.Client.post");
  }

  @Test
  void heatComesFromEntryPointsAndFlowsThroughAwaits() {
    IrBuilder m = new IrBuilder("app/x.py", "app.x");
    Ref.Call appGet = m.call("app.x", new Ref.Attr(new Ref.Var("app.x", "app"), "get"));
    Ref.Call appWs = m.call("app.x", new Ref.Attr(new Ref.Var("app.x", "app"), "ws"));
    Ref.Call newApp = m.call("app.x", q("web.App"));
    m.assign("app.x", new Ref.Var("app.x", "app"), newApp);
    String route = m.fn("route", true, appGet);
    String helper = m.fn("helper", true);
    m.call(route, q("app.x.helper"), true, 0);
    m.call(helper, q("lib.sleep"));
    String ws = m.fn("ws", true, appWs);
    String perMessage = m.fn("per_message", true);
    m.call(ws, q("app.x.per_message"), true, 1);
    m.call(perMessage, q("lib.sleep"));
    String bg = m.fn("bg", true);
    m.call(bg, q("lib.sleep"));
    Ref.Call coro = m.call("app.x", q("app.x.bg"));
    m.call("app.x", q("lib.create_task"), pos(0, coro));
    Analysed a = analyse(m);
    assertThat(a.heatOf(helper).heat()).isEqualTo(Heat.REQUEST);
    assertThat(a.heatOf(perMessage).heat()).isEqualTo(Heat.HOT_LOOP);
    assertThat(a.heatOf(bg).heat()).isEqualTo(Heat.BACKGROUND);
    assertThat(a.blocks()).hasSize(3);
  }

  @Test
  void awaitedCallsAreNeverBlocking() {
    IrBuilder m = new IrBuilder("app/x.py", "app.x");
    String h = m.fn("h", true);
    m.call(h, q("lib.sleep"), true, 0);
    assertThat(analyse(m).blocks()).isEmpty();
  }

  @Test
  void unresolvedCallsAreNotGuessed() {
    IrBuilder m = new IrBuilder("app/x.py", "app.x");
    String h = m.fn("h", true);
    m.call(h, new Ref.Attr(new Ref.Var(h, "unknown"), "get"), kw("timeout", new Ref.Literal(Ref.LiteralKind.NUMBER, "3")));
    Analysed a = analyse(m);
    assertThat(a.blocks()).isEmpty();
    assertThat(a.graph().targets(a.project().modules().get(0), a.project().modules().get(0).calls().get(0))).isEmpty();
    assertThat(List.of()).isEmpty();
  }

  @Test
  void asyncTwinsMakeUnknownSyncMethodsLowConfidence() {
    IrBuilder m = new IrBuilder("app/x.py", "app.x");
    String h = m.fn("h", true);
    Ref.Call model = m.call(h, q("llm.Chat"));
    m.assign(h, new Ref.Var(h, "model"), model);
    m.call(h, new Ref.Attr(new Ref.Var(h, "model"), "invoke"));
    m.call(h, new Ref.Attr(new Ref.Var(h, "model"), "ainvoke"), true, 0);
    m.call(h, new Ref.Attr(new Ref.Var(h, "model"), "describe"));
    Analysed a = analyse(m);
    assertThat(a.blocks()).hasSize(1);
    LoopBlocks.LoopBlock b = a.blocks().get(0);
    assertThat(b.api()).isEqualTo("llm.Chat.invoke");
    assertThat(b.confidence()).isEqualTo(Confidence.LOW);
    assertThat(b.fact().replacement()).contains("llm.Chat.ainvoke");
  }

  @Test
  void aliasesResolveOnlyFromImportRootsAndScriptFolders() {
    IrBuilder lib = new IrBuilder("libsql/sqlalchemy/util/queue.py", "sqlalchemy.util.queue")
        .aliases("libsql.sqlalchemy.util.queue", "util.queue", "queue");
    String put = lib.fn("put", false);
    lib.call(put, q("lib.sleep"));
    IrBuilder other = new IrBuilder("libanyio/anyio/x.py", "anyio.x");
    String h = other.fn("h", true);
    other.call(h, q("queue.put"));
    IrBuilder routes = new IrBuilder("app/routers/users.py", "app.routers.users").aliases("routers.users", "users");
    String get = routes.fn("get_user", false);
    routes.call(get, q("lib.sleep"));
    IrBuilder main = new IrBuilder("app/main.py", "app.main");
    String m = main.fn("handler", true);
    main.call(m, q("routers.users.get_user"));
    // app.main is named from the project root: routers.users, a name relative to app/, resolves
    // only when app/ is on the import path, as when a script in it runs.
    assertThat(analyse(lib, other, routes, main).blocks()).isEmpty();
    main.mainGuardCall(q("uvicorn.run"));
    Analysed a = analyse(lib, other, routes, main);
    assertThat(a.blocks()).extracting(b -> b.root().ir().qualifiedName()).containsExactly("app.main.handler");
  }
}
