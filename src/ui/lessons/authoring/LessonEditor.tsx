// The monaco editor for a lesson's JSON, bundled locally (no CDN) and loaded lazily with this
// module. monaco's JSON language checks the text against the lesson format's JSON schema
// (lessonJsonSchema(), from the same zod schemas the catalog uses): schema errors are markers in
// the editor, with completion and hovers from the schema. The checks the JSON schema cannot say
// (the catalog's cross checks, a built-in lesson's id) are markers of our own.
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker';
import { useEffect, useRef } from 'react';
import { lessonJsonSchema } from '../../../lessons/schema.ts';
import type { LessonProblem } from '../lessonCheck.ts';

declare global {
  interface Window { MonacoEnvironment?: monaco.Environment }
}

/** The model's address: the JSON schema applies to it (and to nothing else the app might edit). */
export const LESSON_MODEL_URI = 'inmemory://rediscope/lesson.json';
const MARKER_OWNER = 'rediscope-lesson';

let configured = false;

function configure(): void {
  if (configured) return;
  configured = true;
  window.MonacoEnvironment = {
    getWorker: (_id: string, label: string) => (label === 'json' ? new JsonWorker() : new EditorWorker()),
  };
  jsonDefaults.setDiagnosticsOptions({
    validate: true,
    allowComments: false,
    trailingCommas: 'error',
    comments: 'error',
    schemaValidation: 'error',
    enableSchemaRequest: false,
    schemas: [{ uri: 'inmemory://rediscope/lesson.schema.json', fileMatch: [LESSON_MODEL_URI], schema: lessonJsonSchema() }],
  });
}

/** What the view can do to the editor. */
export interface EditorHandle {
  /** Replaces the whole text as an edit (Ctrl+Z brings the old text back). */
  replaceText(text: string): void;
  /** Selects a range and scrolls to it; the editor gets the focus. */
  reveal(offset: number, length: number): void;
  format(): void;
  focus(): void;
}

const SEVERITY: Record<LessonProblem['severity'], monaco.MarkerSeverity> = {
  error: monaco.MarkerSeverity.Error,
  warning: monaco.MarkerSeverity.Warning,
  info: monaco.MarkerSeverity.Info,
};

export interface LessonEditorProps {
  initialText: string;
  onChange(text: string): void;
  onReady(handle: EditorHandle | null): void;
  /** Ctrl+S (Cmd+S) in the editor. */
  onSave(): void;
  theme: 'light' | 'dark';
  fontSize: number;
  ariaLabel: string;
  /** Problems shown as markers of our own (those monaco's JSON schema check does not find). */
  markers: readonly LessonProblem[];
  language: 'en' | 'zh';
}

export function LessonEditor({ initialText, onChange, onReady, onSave, theme, fontSize, ariaLabel, markers, language }: LessonEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;
  const saving = useRef(onSave);
  saving.current = onSave;

  useEffect(() => {
    configure();
    const uri = monaco.Uri.parse(LESSON_MODEL_URI);
    monaco.editor.getModel(uri)?.dispose();
    const model = monaco.editor.createModel(initialText, 'json', uri);
    model.updateOptions({ tabSize: 2, insertSpaces: true });
    const ed = monaco.editor.create(host.current!, {
      model,
      automaticLayout: true,
      minimap: { enabled: false },
      wordWrap: 'on',
      scrollBeyondLastLine: false,
      fixedOverflowWidgets: false,
      // monaco's own context menu is drawn outside the dialog (behind it): the browser's is used.
      contextmenu: false,
      ariaLabel,
      tabSize: 2,
      renderValidationDecorations: 'on',
    });
    editor.current = ed;
    const sub = model.onDidChangeContent(() => changed.current(model.getValue()));
    ed.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => saving.current());
    onReady({
      replaceText(text) {
        ed.pushUndoStop();
        ed.executeEdits('rediscope', [{ range: model.getFullModelRange(), text }]);
        ed.pushUndoStop();
        ed.setPosition({ lineNumber: 1, column: 1 });
        ed.revealLine(1);
      },
      reveal(offset, length) {
        const start = model.getPositionAt(offset);
        const end = model.getPositionAt(offset + length);
        ed.setSelection(monaco.Selection.fromPositions(start, end));
        ed.revealRangeInCenterIfOutsideViewport(monaco.Range.fromPositions(start, end));
        ed.focus();
      },
      format() {
        void ed.getAction('editor.action.formatDocument')?.run();
      },
      focus() {
        ed.focus();
      },
    });
    return () => {
      onReady(null);
      sub.dispose();
      ed.dispose();
      model.dispose();
      editor.current = null;
    };
    // The editor is made once; the text changes through it, never through props.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    monaco.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs');
  }, [theme]);

  useEffect(() => {
    editor.current?.updateOptions({ fontSize, ariaLabel });
  }, [fontSize, ariaLabel]);

  useEffect(() => {
    const model = editor.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(model, MARKER_OWNER, markers
      .filter((p) => p.offset !== undefined)
      .map((p) => {
        const start = model.getPositionAt(p.offset!);
        const end = model.getPositionAt(p.offset! + (p.length ?? 1));
        return {
          severity: SEVERITY[p.severity],
          message: p.message[language],
          source: p.path,
          startLineNumber: start.lineNumber,
          startColumn: start.column,
          endLineNumber: end.lineNumber,
          endColumn: end.column,
        };
      }));
  }, [markers, language]);

  return <div ref={host} className="authoring-editor-host" data-testid="authoring-editor" />;
}
