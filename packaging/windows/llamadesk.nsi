; LlamaDesk per-user installer (NSIS 3).  Built by packaging/build.py:
;   makensis -DVERSION=0.1.0 -DPAYLOAD=build\dist\llamadesk -DOUTFILE=dist\setup.exe
;            -DICON=build\icons\llamadesk.ico packaging\windows\llamadesk.nsi
; Installs to %LOCALAPPDATA%\Programs\LlamaDesk without administrator rights, adds a
; Start-menu shortcut, an uninstaller registered under HKCU, and opens .llamadesk files
; (LlamaDesk JSON exports) by importing them.

Unicode true
!include "MUI2.nsh"

!ifndef VERSION
  !error "pass -DVERSION=x.y.z"
!endif
!ifndef PAYLOAD
  !error "pass -DPAYLOAD=folder of the frozen app"
!endif
!ifndef OUTFILE
  !define OUTFILE "LlamaDesk-${VERSION}-setup.exe"
!endif

!define APP "LlamaDesk"
!define EXE "llamadesk.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"

Name "${APP} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "Software\${APP}" "InstallDir"
RequestExecutionLevel user
SetCompressor /SOLID lzma
!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "LlamaDesk" Main
  SetOutPath "$INSTDIR"
  File /r "${PAYLOAD}\*.*"
  WriteUninstaller "$INSTDIR\Uninstall.exe"
  CreateDirectory "$SMPROGRAMS\${APP}"
  CreateShortCut "$SMPROGRAMS\${APP}\${APP}.lnk" "$INSTDIR\${EXE}"
  CreateShortCut "$SMPROGRAMS\${APP}\Uninstall ${APP}.lnk" "$INSTDIR\Uninstall.exe"

  WriteRegStr HKCU "Software\${APP}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "LlamaDesk developers"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1

  ; .llamadesk files (LlamaDesk JSON) open by importing them.
  WriteRegStr HKCU "Software\Classes\.llamadesk" "" "LlamaDesk.Conversations"
  WriteRegStr HKCU "Software\Classes\LlamaDesk.Conversations" "" "LlamaDesk conversations"
  WriteRegStr HKCU "Software\Classes\LlamaDesk.Conversations\DefaultIcon" "" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "Software\Classes\LlamaDesk.Conversations\shell\open\command" "" \
    '"$INSTDIR\${EXE}" import "%1"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

Section "Uninstall"
  RMDir /r "$INSTDIR"
  RMDir /r "$SMPROGRAMS\${APP}"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\${APP}"
  DeleteRegKey HKCU "Software\Classes\.llamadesk"
  DeleteRegKey HKCU "Software\Classes\LlamaDesk.Conversations"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  ; Chats and settings stay in %LOCALAPPDATA%\LlamaDesk: uninstalling never deletes them.
SectionEnd
