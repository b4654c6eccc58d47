"""The Qt user interface: main window, player, panels and timeline."""
