/**
 * The devices wing's front door: each device sees the machine only through
 * DeviceHost (device.ts).
 */
export * from './device.ts';
export * from './console.ts';
export * from './timer.ts';
export * from './net.ts';
export * from './fileset.ts';
