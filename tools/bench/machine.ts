/** The machine a run happened on, as BENCH.md records it. */
import { availableParallelism, cpus, type as osType, release, totalmem } from 'node:os';

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
}

export function machineInfo(): MachineInfo {
  const cpu = cpus()[0];
  return {
    nproc: availableParallelism(),
    cpuModel: cpu?.model.trim() || 'unknown',
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${osType()} ${release()}`,
  };
}

export function describeMachine(m: MachineInfo): string {
  return `${m.nproc} CPU (${m.cpuModel}), ${m.memoryGiB} GiB RAM, Node ${m.node}, ${m.os}`;
}
