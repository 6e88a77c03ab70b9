// generated/machines.ts: the session and job state machines (schema/protocol/*-machine.json)
// as transition lists plus a (state, event) -> state lookup table (contracts.md §2).
import { StructureKind, VariableDeclarationKind } from 'ts-morph';
import type { MachineModel, ProtocolModel } from '../model/ir.js';
import { codeHeader } from './header.js';
import type { OutputFile } from './output-file.js';
import { literal, newSourceFile, printSource } from './ts-source.js';

function union(values: readonly string[]): string {
  return values.length === 0 ? 'never' : values.map((v) => `'${v}'`).join(' | ');
}

/** (state, event) -> next state; every state has a row, possibly empty (terminal states). */
export function transitionTable(machine: MachineModel): Record<string, Record<string, string>> {
  const table: Record<string, Record<string, string>> = {};
  for (const state of machine.states) table[state] = {};
  for (const t of machine.transitions) table[t.from][t.event] = t.to;
  return table;
}

export function emitMachines(model: ProtocolModel): OutputFile[] {
  const file = newSourceFile('machines.ts');
  file.addInterfaces([
    {
      isExported: true, name: 'Transition', typeParameters: ['S', 'E'],
      docs: ['One edge: in state `from`, `event` moves the machine to `to`; `trigger` says what causes it.'],
      properties: [{ name: 'from', type: 'S' }, { name: 'event', type: 'E' }, { name: 'to', type: 'S' }, { name: 'trigger', type: 'string' }],
    },
    {
      isExported: true, name: 'MachineTable', typeParameters: ['S extends string', 'E extends string'],
      docs: ['A state machine as data; `table[state][event]` is the next state, absent when the event is invalid there.'],
      properties: [
        { name: 'name', type: 'string' }, { name: 'states', type: 'readonly S[]' }, { name: 'initial', type: 'S' },
        { name: 'terminal', type: 'readonly S[]' }, { name: 'transitions', type: 'readonly Transition<S, E>[]' },
        { name: 'table', type: 'Readonly<Record<S, Readonly<Partial<Record<E, S>>>>>' },
      ],
    },
  ]);
  for (const m of model.machines) {
    file.addTypeAliases([
      { isExported: true, name: m.stateTypeName, type: union(m.states), docs: [`States of the ${m.name} machine (${m.spec}).`] },
      { isExported: true, name: m.eventTypeName, type: union(m.events), docs: [`Events that move the ${m.name} machine.`] },
    ]);
    const value = {
      name: m.name, states: m.states, initial: m.initial, terminal: m.terminal,
      transitions: m.transitions, table: transitionTable(m),
    };
    file.addVariableStatement({
      kind: StructureKind.VariableStatement, isExported: true, declarationKind: VariableDeclarationKind.Const,
      docs: [`The ${m.name} state machine (${m.spec}; ${m.source.path}).`],
      declarations: [{ name: m.constName, type: `MachineTable<${m.stateTypeName}, ${m.eventTypeName}>`, initializer: literal(value) }],
    });
  }
  return [{ root: 'generated', path: 'machines.ts', contents: printSource(codeHeader(model.machines.map((m) => m.source)), file) }];
}
